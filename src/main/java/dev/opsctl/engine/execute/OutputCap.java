package dev.opsctl.engine.execute;

import java.util.ArrayList;
import java.util.List;

/** Keeps the head of a step's output for events and the journal; the rest is counted, not kept. */
final class OutputCap {
    static final int LIMIT = 64 * 1024;

    private OutputCap() {}

    /** True when {@link #head} keeps only part of {@code text}. */
    static boolean cuts(String text) {
        return text.length() > LIMIT;
    }

    /** The first lines of {@code lines} that fit in {@link #LIMIT} characters (newlines counted). */
    static List<Object> headLines(List<?> lines) {
        List<Object> out = new ArrayList<>();
        long size = 0;
        for (Object line : lines) {
            size += String.valueOf(line).length() + 1;
            if (size > LIMIT) {
                break;
            }
            out.add(line);
        }
        return out;
    }

    static String head(String text) {
        if (!cuts(text)) {
            return text;
        }
        return text.substring(0, LIMIT) + "\n[output truncated: " + (text.length() - LIMIT) + " more characters]";
    }
}
