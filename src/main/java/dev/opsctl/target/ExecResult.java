package dev.opsctl.target;

import java.time.Duration;

/**
 * What a finished command left: exit code (-1 when killed by a timeout), captured output (each
 * stream capped; {@code truncated} says so) and wall time. {@code leftRunning}: it timed out and
 * was not seen to end when told to, so it may still be running where it was started;
 * {@code leftRunningWhy} says why in words when it is not that it did not end after TERM and KILL
 * (empty then).
 */
public record ExecResult(int exitCode, String stdout, String stderr, Duration elapsed, boolean timedOut, boolean truncated,
        boolean leftRunning, String leftRunningWhy) {
    /** Output kept per stream; the rest is dropped from the capture (not from a listener). */
    public static final int MAX_CAPTURE = 16 * 1024 * 1024;

    /** A command that ended (or, timed out, was stopped). */
    public ExecResult(int exitCode, String stdout, String stderr, Duration elapsed, boolean timedOut, boolean truncated) {
        this(exitCode, stdout, stderr, elapsed, timedOut, truncated, false);
    }

    /** {@code leftRunning}: it did not end after TERM and KILL. */
    public ExecResult(int exitCode, String stdout, String stderr, Duration elapsed, boolean timedOut, boolean truncated,
            boolean leftRunning) {
        this(exitCode, stdout, stderr, elapsed, timedOut, truncated, leftRunning, "");
    }

    /** This result, left running for the reason {@code why} gives ("...; it may still be running on the host: ..."). */
    public ExecResult leftRunningBecause(String why) {
        return new ExecResult(exitCode, stdout, stderr, elapsed, timedOut, truncated, true, why);
    }

    /** How a timeout ended, for a message that says so: "timed out after 5s" and this. */
    public String stoppedOrNot() {
        if (!leftRunning) {
            return "the command was stopped";
        }
        return leftRunningWhy.isEmpty() ? "it did not end when stopped (TERM, then KILL) and may still be running on the host"
                : leftRunningWhy;
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
