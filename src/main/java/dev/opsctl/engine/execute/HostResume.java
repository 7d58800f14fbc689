package dev.opsctl.engine.execute;

import java.util.Map;

/**
 * What a resumed run knows of a host from the journal: {@code done} (not touched again, finished with
 * {@code doneStatus}: {@code ok}, or {@code rolled_back}/{@code rollback_failed} after a trigger fired,
 * so a resume never re-runs a rollback already done) and the steps already completed, with their
 * journaled result fields, restored into scope instead of being run again.
 */
public record HostResume(boolean done, Map<String, Map<String, Object>> completed, String doneStatus) {
    public static final HostResume FRESH = new HostResume(false, Map.of());

    public HostResume {
        completed = Map.copyOf(completed);
    }

    public HostResume(boolean done, Map<String, Map<String, Object>> completed) {
        this(done, completed, "ok");
    }
}
