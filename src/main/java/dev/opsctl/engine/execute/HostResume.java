package dev.opsctl.engine.execute;

import java.util.Map;

/**
 * What a resumed run knows of a host from the journal: {@code done} (finished ok: not touched again)
 * and the steps already completed, with their journaled result fields, restored into scope instead
 * of being run again.
 */
public record HostResume(boolean done, Map<String, Map<String, Object>> completed) {
    public static final HostResume FRESH = new HostResume(false, Map.of());

    public HostResume {
        completed = Map.copyOf(completed);
    }
}
