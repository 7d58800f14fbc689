package dev.opsctl.template;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Follows the template's own text as sh would read it, so a value can be escaped for where it lands:
 * bare, inside {@code '...'}, inside {@code "..."} or in a {@code #} comment. {@code $(...)} and
 * backticks open a fresh level, since quotes inside them start over. Here-documents are not
 * followed: a value in a here-document body is not protected.
 */
final class QuoteTracker {
    enum Context {
        PLAIN,
        SINGLE,
        DOUBLE,
        COMMENT
    }

    /** Where a value lands: its quoting, inside how many backtick substitutions. */
    record Place(Context context, int backticks) {}

    private static final class Level {
        Context context = Context.PLAIN;
        int parens;
        final char closer; // ')' for $( ... ), '`' for a backtick, 0 for the top level

        Level(char closer) {
            this.closer = closer;
        }
    }

    private final Deque<Level> levels = new ArrayDeque<>();
    private boolean escaped;
    private char previous = ' ';

    QuoteTracker() {
        levels.push(new Level('\0'));
    }

    Place place() {
        int backticks = (int) levels.stream().filter(l -> l.closer == '`').count();
        return new Place(levels.peek().context, backticks);
    }

    /** A substituted value was written here: the next character is not at the start of a word. */
    void value() {
        previous = 'x';
    }

    void feed(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char next = i + 1 < text.length() ? text.charAt(i + 1) : '\0';
            Level level = levels.peek();
            if (escaped) {
                escaped = false;
            } else {
                switch (level.context) {
                    case COMMENT -> {
                        if (c == '\n') {
                            level.context = Context.PLAIN;
                        }
                    }
                    case SINGLE -> {
                        if (c == '\'') {
                            level.context = Context.PLAIN;
                        }
                    }
                    case DOUBLE -> {
                        if (c == '\\') {
                            escaped = true;
                        } else if (c == '"') {
                            level.context = Context.PLAIN;
                        } else if (c == '$' && next == '(') {
                            levels.push(new Level(')'));
                            c = next;
                            i++;
                        } else if (c == '`') {
                            levels.push(new Level('`'));
                        }
                    }
                    case PLAIN -> {
                        if (c == '\\') {
                            escaped = true;
                        } else if (c == '\'') {
                            level.context = Context.SINGLE;
                        } else if (c == '"') {
                            level.context = Context.DOUBLE;
                        } else if (c == '#' && wordStart(previous)) {
                            level.context = Context.COMMENT;
                        } else if (c == '$' && next == '(') {
                            levels.push(new Level(')'));
                            c = next;
                            i++;
                        } else if (c == '`') {
                            if (level.closer == '`') {
                                levels.pop();
                            } else {
                                levels.push(new Level('`'));
                            }
                        } else if (c == '(') {
                            level.parens++;
                        } else if (c == ')') {
                            if (level.parens > 0) {
                                level.parens--;
                            } else if (level.closer == ')') {
                                levels.pop();
                            }
                        }
                    }
                }
            }
            previous = c;
        }
    }

    private static boolean wordStart(char previous) {
        return Character.isWhitespace(previous) || ";&|()<>".indexOf(previous) >= 0;
    }
}
