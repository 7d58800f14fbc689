package dev.opsctl.inventory;

import java.util.ArrayList;
import java.util.List;

/**
 * A line split as Python's {@code shlex.split(line, comments=True)} splits it, which is how
 * Ansible's ini plugin reads a host line: quotes group and are removed, a backslash escapes the
 * next character (inside double quotes only a quote or a backslash), and a {@code #} outside
 * quotes ends the line, even inside a word ({@code a#b} is {@code a}).
 */
final class ShellWords {
    /** A word and the 1-based column it starts at. */
    record Word(String text, int col) {}

    /** The words, or why the line cannot be split and at which column. */
    record Result(List<Word> words, String error, int errorCol) {}

    private static final char NONE = 0;

    private ShellWords() {}

    static Result split(String line) {
        List<Word> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int start = 0;
        char quote = NONE;
        int quoteCol = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != NONE) {
                if (c == quote) {
                    quote = NONE;
                } else if (c == '\\' && quote == '"') {
                    if (i + 1 == line.length()) {
                        break;
                    }
                    char next = line.charAt(++i);
                    if (next != '"' && next != '\\') {
                        word.append('\\');
                    }
                    word.append(next);
                } else {
                    word.append(c);
                }
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '#') {
                if (inWord) {
                    words.add(new Word(word.toString(), start + 1));
                    word.setLength(0);
                    inWord = false;
                }
                if (c == '#') {
                    return new Result(words, null, 0);
                }
            } else {
                if (!inWord) {
                    inWord = true;
                    start = i;
                }
                if (c == '"' || c == '\'') {
                    quote = c;
                    quoteCol = i + 1;
                } else if (c == '\\') {
                    if (i + 1 == line.length()) {
                        return new Result(words, "a '\\' at the end of the line escapes nothing", i + 1);
                    }
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
            }
        }
        if (quote != NONE) {
            return new Result(words, "the quote " + quote + " opened here is never closed", quoteCol);
        }
        if (inWord) {
            words.add(new Word(word.toString(), start + 1));
        }
        return new Result(words, null, 0);
    }
}
