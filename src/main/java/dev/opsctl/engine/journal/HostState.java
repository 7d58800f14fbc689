package dev.opsctl.engine.journal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One host as the journal last saw it. {@code steps}: the last finished record per step id, in
 * first-run order. {@code interruptedStep}: a step journaled as started and never finished, or
 * finished as interrupted; it may have been half done. {@code status}: from the last
 * {@code host-finished} (empty while the host was still running). {@code rollback}: the host's last
 * rollback, {@code started} (never finished: interrupted or killed), {@code succeeded} or {@code failed};
 * empty when it was never rolled back. {@code rollbackCutShort}: the rollback step that last rollback
 * stopped in the middle of (interrupted or killed, timed out, or its connection lost), which may have
 * run in part; then {@code interruptedStep}, when present, is that rollback step. {@code pendingTrigger}: a
 * trigger that fired after the host's last step ended and was never acted on (see {@link PendingTrigger}).
 * {@code leftRunning}: the host was halted because its last step timed out or lost its connection and its
 * command may still be running there, so nothing was run beside it (no rollback either).
 * {@code rollbackCompleted}: the rollback steps the host's last rollback completed, in order (a resume
 * finishing a rollback cut short goes on after them).
 */
public record HostState(String host, Map<String, StepRecord> steps, Optional<String> interruptedStep, Optional<String> status,
        Optional<String> rollback, Optional<String> rollbackCutShort, Optional<PendingTrigger> pendingTrigger, boolean leftRunning,
        java.util.List<String> rollbackCompleted) {
    public HostState {
        steps = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(steps));
        rollbackCompleted = java.util.List.copyOf(rollbackCompleted);
    }

    public HostState(String host, Map<String, StepRecord> steps, Optional<String> interruptedStep, Optional<String> status,
            Optional<String> rollback, Optional<String> rollbackCutShort, Optional<PendingTrigger> pendingTrigger) {
        this(host, steps, interruptedStep, status, rollback, rollbackCutShort, pendingTrigger, false, java.util.List.of());
    }

    public HostState(String host, Map<String, StepRecord> steps, Optional<String> interruptedStep, Optional<String> status,
            Optional<String> rollback, Optional<String> rollbackCutShort) {
        this(host, steps, interruptedStep, status, rollback, rollbackCutShort, Optional.empty());
    }

    public HostState(String host, Map<String, StepRecord> steps, Optional<String> interruptedStep, Optional<String> status,
            Optional<String> rollback) {
        this(host, steps, interruptedStep, status, rollback, Optional.empty());
    }

    public HostState(String host, Map<String, StepRecord> steps, Optional<String> interruptedStep, Optional<String> status) {
        this(host, steps, interruptedStep, status, Optional.empty());
    }

    public boolean finishedOk() {
        return status.filter("ok"::equals).isPresent();
    }

    /** Whether anything ran on the host: a step finished or was started there. */
    public boolean started() {
        return !steps.isEmpty() || interruptedStep.isPresent();
    }

    public boolean completed(String stepId) {
        StepRecord r = steps.get(stepId);
        return r != null && r.completed() && interruptedStep.filter(stepId::equals).isEmpty();
    }
}
