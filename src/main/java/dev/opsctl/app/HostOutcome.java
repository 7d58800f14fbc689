package dev.opsctl.app;

import java.time.Duration;

/**
 * What one host did with an ad-hoc command. {@code UNREACHABLE} (could not connect, authenticate
 * or verify the host: nothing ran) is a different outcome from {@code FAILED} (the command ran and
 * exited non-zero or timed out) and from {@code LOST} (the connection broke while the command ran:
 * it may have run, in part or whole, and unless opsctl stopped it from a new connection it may still
 * be running). {@code message} is empty when {@code OK}. {@code truncated}: the command wrote more
 * than opsctl keeps of a stream ({@link dev.opsctl.target.ExecResult#MAX_CAPTURE} bytes), so
 * {@code stdout} or {@code stderr} is its beginning only. {@code mayStillRun}: the command may still
 * be running on the host (its connection was lost, or it timed out, and opsctl could not stop it).
 */
public record HostOutcome(String host, Status status, int exitCode, String stdout, String stderr, Duration elapsed,
        String message, boolean truncated, boolean mayStillRun) {
    public enum Status {
        OK,
        FAILED,
        UNREACHABLE,
        LOST
    }

    public HostOutcome(String host, Status status, int exitCode, String stdout, String stderr, Duration elapsed, String message,
            boolean truncated) {
        this(host, status, exitCode, stdout, stderr, elapsed, message, truncated, false);
    }

    public boolean ok() {
        return status == Status.OK;
    }
}
