package dev.opsctl.app;

import java.time.Duration;

/**
 * What one host did with an ad-hoc command. {@code UNREACHABLE} (could not connect, authenticate
 * or verify the host, or the connection broke) is a different outcome from {@code FAILED} (the
 * command ran and exited non-zero or timed out). {@code message} is empty when {@code OK}.
 * {@code truncated}: the command wrote more than opsctl keeps of a stream ({@link
 * dev.opsctl.target.ExecResult#MAX_CAPTURE} bytes), so {@code stdout} or {@code stderr} is its beginning only.
 */
public record HostOutcome(String host, Status status, int exitCode, String stdout, String stderr, Duration elapsed,
        String message, boolean truncated) {
    public enum Status {
        OK,
        FAILED,
        UNREACHABLE
    }

    public boolean ok() {
        return status == Status.OK;
    }
}
