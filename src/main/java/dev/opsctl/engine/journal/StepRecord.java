package dev.opsctl.engine.journal;

import java.util.Map;
import java.util.Set;

/**
 * A step's last journaled result on one host. {@code outcome}: ok, changed, failed, timed_out,
 * skipped, unreachable or interrupted. {@code result} holds the (masked) fields a later step reads.
 */
public record StepRecord(String step, String outcome, int rc, long elapsedMs, String message, Map<String, Object> result,
        boolean ignored) {
    private static final Set<String> DONE = Set.of("ok", "changed", "skipped");

    public StepRecord {
        result = Map.copyOf(result);
    }

    /** Done for good: a resume must not run it again. An ignored failure counts as done. */
    public boolean completed() {
        return DONE.contains(outcome) || (ignored && !outcome.equals("interrupted"));
    }
}
