package dev.opsctl.engine.execute;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ctrl-C for a run: {@link #request()} interrupts every host thread that is running a step (the
 * target kills its process) and lets no new host or step start. Thread-safe; the CLI calls
 * {@code request()} from a signal or shutdown hook.
 */
public final class StopSignal {
    private volatile boolean requested;
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();

    public void request() {
        requested = true;
        running.forEach(Thread::interrupt);
    }

    public boolean requested() {
        return requested;
    }

    void enter() {
        running.add(Thread.currentThread());
        if (requested) {
            Thread.currentThread().interrupt();
        }
    }

    void exit() {
        running.remove(Thread.currentThread());
    }
}
