package dev.opsctl.report;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One host of a run. {@code state}: ok, failed, unreachable, rolled_back, rollback_failed, halted,
 * skipped, interrupted (started but never finished) or not_started. {@code steps}: every finished
 * step in journal order, rollback steps included (a step re-run after a resume appears twice).
 */
public record HostReport(String name, String address, String state, String message, Optional<Instant> started,
        Optional<Instant> finished, List<StepReport> steps) {

    public static final String NOT_STARTED = "not_started";
    public static final String INTERRUPTED = "interrupted";

    public HostReport {
        steps = List.copyOf(steps);
    }

    /** The last record of a forward (not rollback) step, as the hosts x steps table shows it. */
    public Optional<StepReport> last(String stepId) {
        StepReport found = null;
        for (StepReport s : steps) {
            if (!s.rollback() && s.step().equals(stepId)) {
                found = s;
            }
        }
        return Optional.ofNullable(found);
    }

    public List<StepReport> rollbackSteps() {
        return steps.stream().filter(StepReport::rollback).toList();
    }

    /** True for the states that need a person to look: anything but ok, skipped and not started. */
    public boolean needsAttention() {
        return !List.of("ok", "skipped", NOT_STARTED).contains(state);
    }
}
