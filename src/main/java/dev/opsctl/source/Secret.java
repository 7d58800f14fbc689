package dev.opsctl.source;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A sensitive value (password, token). {@link #toString()} never shows it; only {@link #reveal()}
 * does, and only code that must hand the value to a system (a sudo prompt, a command) calls it.
 */
public final class Secret {
    public static final String MASK = "********";
    private static final String NAME = "[A-Za-z0-9_.-]*(?:pass|secret|token|credential)[A-Za-z0-9_.-]*";
    private static final Pattern SECRET_NAME = Pattern.compile("(?i)" + NAME);
    /**
     * {@code name=value} or {@code name: value} with a secret-looking name, in INI or YAML: a quoted
     * value up to its closing quote, else the rest of the line (an INI {@code [group:vars]} value and a
     * plain YAML scalar may hold spaces, commas and braces).
     */
    private static final Pattern SECRET_ASSIGNMENT = Pattern.compile("(?i)(" + NAME + "[\"']?\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|\\S.*)");
    private final String value;

    public Secret(String value) {
        this.value = Objects.requireNonNull(value);
    }

    /** Whether a variable of this name holds a secret, by its name (a password, a token...), so is never printed. */
    public static boolean looksSecret(String name) {
        return SECRET_NAME.matcher(name).matches();
    }

    /** A line of a file as it may be quoted in a message: the values of secret-looking names masked. */
    public static String maskAssignments(String line) {
        return SECRET_ASSIGNMENT.matcher(line).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(1) + MASK));
    }

    /**
     * Where 1-based column {@code col} of {@code line} lands in {@link #maskAssignments}'s result, so a
     * caret still points at what it pointed at: a column within a masked value points at the mask.
     */
    public static int maskedColumn(String line, int col) {
        java.util.regex.Matcher m = SECRET_ASSIGNMENT.matcher(line);
        int at = col - 1;
        int shift = 0;
        while (m.find() && at >= m.start(2)) {
            if (at < m.end(2)) {
                return m.start(2) + shift + 1;
            }
            shift += MASK.length() - (m.end(2) - m.start(2));
        }
        return at + shift + 1;
    }

    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return MASK;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
