package dev.opsctl.engine.execute;

/** Keeps the head of a step's output for events and the journal; the rest is counted, not kept. */
final class OutputCap {
    static final int LIMIT = 64 * 1024;

    private OutputCap() {}

    /** True when {@link #head} keeps only part of {@code text}. */
    static boolean cuts(String text) {
        return text.length() > LIMIT;
    }

    static String head(String text) {
        if (!cuts(text)) {
            return text;
        }
        return text.substring(0, LIMIT) + "\n[output truncated: " + (text.length() - LIMIT) + " more characters]";
    }
}
