package dev.opsctl.template;

/**
 * POSIX sh quoting. A quoted value is always exactly one word to the shell, whatever it contains
 * ({@code ;}, {@code $}, backticks, quotes, newlines); the only character sh cannot carry is NUL.
 */
public final class ShellQuote {
    private ShellQuote() {}

    /**
     * {@code abc} stays; anything else is single-quoted with embedded quotes as {@code '\''}; the
     * empty string becomes {@code ''}. Characters kept bare: {@code A-Z a-z 0-9 _ @ % + = : , . / -}.
     */
    public static String quote(String s) {
        if (!s.isEmpty() && s.chars().allMatch(ShellQuote::safe)) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static boolean safe(int c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || "_@%+=:,./-".indexOf(c) >= 0;
    }
}
