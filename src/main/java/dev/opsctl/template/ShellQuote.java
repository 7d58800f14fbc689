package dev.opsctl.template;

/** POSIX sh quoting. */
public final class ShellQuote {
    private ShellQuote() {}

    /** {@code abc} stays; anything else is single-quoted with embedded quotes as {@code '\''}. */
    public static String quote(String s) {
        throw new UnsupportedOperationException("TODO");
    }
}
