package dev.opsctl.engine.execute;

import dev.opsctl.engine.journal.PendingTrigger;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a resumed run knows of a host from the journal: {@code done} (not touched again, finished with
 * {@code doneStatus}: {@code ok}, or {@code rolled_back}/{@code rollback_failed} after a trigger fired,
 * so a resume never re-runs a rollback already done) and the steps already completed, with their
 * journaled result fields, restored into scope instead of being run again. {@code pendingTrigger}: a
 * trigger that fired on the host before opsctl stopped and was never acted on; it is acted on first.
 * {@code rollbackCompleted}: the rollback steps a rollback that opsctl stopped in the middle of had
 * completed; finishing that rollback does not run them again.
 */
public record HostResume(boolean done, Map<String, Map<String, Object>> completed, String doneStatus,
        Optional<PendingTrigger> pendingTrigger, Set<String> rollbackCompleted) {
    public static final HostResume FRESH = new HostResume(false, Map.of());

    public HostResume {
        completed = Map.copyOf(completed);
        rollbackCompleted = Set.copyOf(rollbackCompleted);
    }

    public HostResume(boolean done, Map<String, Map<String, Object>> completed, String doneStatus,
            Optional<PendingTrigger> pendingTrigger) {
        this(done, completed, doneStatus, pendingTrigger, Set.of());
    }

    public HostResume(boolean done, Map<String, Map<String, Object>> completed, String doneStatus) {
        this(done, completed, doneStatus, Optional.empty());
    }

    public HostResume(boolean done, Map<String, Map<String, Object>> completed) {
        this(done, completed, "ok");
    }
}
