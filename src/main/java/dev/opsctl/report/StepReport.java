package dev.opsctl.report;

import java.time.Instant;

/**
 * One step on one host. {@code outcome}: ok, changed, failed, timed_out, skipped, unreachable, connection_lost or
 * interrupted. {@code started}: the first attempt's start; {@code attempts}: how many were made.
 * {@code rollback}: run as part of the host's rollback. {@code message} is already masked.
 */
public record StepReport(String step, String title, String outcome, int attempts, Instant started, Instant finished,
        long elapsedMs, int rc, String message, boolean ignored, boolean rollback) {

    public boolean succeeded() {
        return outcome.equals("ok") || outcome.equals("changed") || outcome.equals("skipped");
    }
}
