package dev.opsctl.target;

import java.time.Duration;

/**
 * What a finished command left: exit code (-1 when killed by a timeout), captured output (each
 * stream capped; {@code truncated} says so) and wall time. {@code leftRunning}: it timed out and
 * did not end when told to (TERM, then KILL), so it may still be running where it was started.
 */
public record ExecResult(int exitCode, String stdout, String stderr, Duration elapsed, boolean timedOut, boolean truncated,
        boolean leftRunning) {
    /** Output kept per stream; the rest is dropped from the capture (not from a listener). */
    public static final int MAX_CAPTURE = 16 * 1024 * 1024;

    /** A command that ended (or, timed out, was stopped). */
    public ExecResult(int exitCode, String stdout, String stderr, Duration elapsed, boolean timedOut, boolean truncated) {
        this(exitCode, stdout, stderr, elapsed, timedOut, truncated, false);
    }

    /** How a timeout ended, for a message that says so: "timed out after 5s" and this. */
    public String stoppedOrNot() {
        return leftRunning ? "it did not end when stopped (TERM, then KILL) and may still be running on the host"
                : "the command was stopped";
    }

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
