package dev.opsctl.engine.execute;

/** Keeps the head of a step's output for events and the journal; the rest is counted, not kept. */
final class OutputCap {
    static final int LIMIT = 64 * 1024;

    private OutputCap() {}

    static String head(String text) {
        if (text.length() <= LIMIT) {
            return text;
        }
        return text.substring(0, LIMIT) + "\n[output truncated: " + (text.length() - LIMIT) + " more characters]";
    }
}
