package dev.opsctl.target;

import java.time.Duration;

/**
 * What a finished command left: exit code (-1 when killed by a timeout), captured output (each
 * stream capped; {@code truncated} says so) and wall time.
 */
public record ExecResult(int exitCode, String stdout, String stderr, Duration elapsed, boolean timedOut, boolean truncated) {
    /** Output kept per stream; the rest is dropped from the capture (not from a listener). */
    public static final int MAX_CAPTURE = 16 * 1024 * 1024;

    public boolean ok() {
        return exitCode == 0 && !timedOut;
    }

    /** The last non-blank line of stderr (or stdout), for one-line failure messages. */
    public String lastLine() {
        String s = lastNonBlank(stderr);
        return s.isEmpty() ? lastNonBlank(stdout) : s;
    }

    private static String lastNonBlank(String text) {
        String[] lines = text.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (!lines[i].isBlank()) {
                return lines[i].strip();
            }
        }
        return "";
    }
}
