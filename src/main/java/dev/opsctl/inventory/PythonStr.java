package dev.opsctl.inventory;

import java.util.ArrayList;
import java.util.List;

/**
 * Text as Python's {@code str} methods see it, where Ansible's ini plugin uses them: its lines are
 * {@code str.splitlines()} and each is {@code str.strip()}ped, and its patterns' {@code \s} is
 * {@code str.isspace()}.
 */
final class PythonStr {
    /** {@code \s} in a Python pattern, for use inside a Java character class. */
    static final String SPACE_CLASS = "\\s\\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";

    private PythonStr() {}

    /** {@code str.isspace()}: Java's isWhitespace leaves out the no-break spaces and NEL. */
    static boolean isSpace(char c) {
        return Character.isWhitespace(c) || c == '\u0085' || c == '\u00a0' || c == '\u2007' || c == '\u202f';
    }

    /** {@code str.strip()}. */
    static String strip(String s) {
        int start = leadingSpaces(s);
        int end = s.length();
        while (end > start && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    /** How many of the first characters of {@code s} are spaces. */
    static int leadingSpaces(String s) {
        int i = 0;
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** {@code str.splitlines()}: lines end at \n, \r\n, a lone \r, \v, \f, \x1c-\x1e, \x85, \u2028 or \u2029. */
    static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (isLineBreak(text.charAt(i))) {
                out.add(text.substring(start, i));
                if (text.charAt(i) == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        if (start < text.length()) {
            out.add(text.substring(start));
        }
        return out;
    }

    private static boolean isLineBreak(char c) {
        return (c >= '\n' && c <= '\r') || (c >= '\u001c' && c <= '\u001e') || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }
}
