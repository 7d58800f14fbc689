package dev.opsctl.target;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The resources a target keeps for {@link UnixSocketForwarding#shared}: one per key, closed newest
 * first by {@link #close()}. For target implementations. Thread-safe.
 */
public final class SharedResources implements AutoCloseable {
    private final Map<String, AutoCloseable> byKey = new LinkedHashMap<>();
    private boolean closed;

    public synchronized <T extends AutoCloseable> T get(String key, Class<T> type, Supplier<? extends T> create) {
        if (closed) {
            throw new IllegalStateException("the target was already closed");
        }
        AutoCloseable existing = byKey.get(key);
        if (existing != null) {
            return type.cast(existing);
        }
        T made = create.get();
        byKey.put(key, made);
        return made;
    }

    /** Closes every resource, newest first; failures are ignored (closing must not fail a run). Idempotent. */
    @Override
    public void close() {
        List<AutoCloseable> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            all = new ArrayList<>(byKey.values());
            byKey.clear();
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                all.get(i).close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                // nothing to do: the resource is gone either way
            }
        }
    }
}
