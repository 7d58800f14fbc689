package dev.opsctl.engine.strategy;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code max_out_of_service}: never more than {@code max} hosts out of service at once. A host is out
 * of service from its first step until it finished ok or its rollback finished; a host left broken
 * (failed, halted, rollback failed) stays out of service for the rest of the run. A host that would
 * exceed the budget waits for a running host to come back; if only broken hosts hold the budget
 * nobody can free it, and the host is refused instead of waiting forever. Thread-safe.
 */
public final class OutOfService {
    private final int max;
    private final Set<String> running = new LinkedHashSet<>();
    private final Set<String> broken = new LinkedHashSet<>();
    private int peak;

    public OutOfService(Optional<Integer> max) {
        this.max = max.orElse(Integer.MAX_VALUE);
    }

    /**
     * Takes {@code host} out of service, waiting while the budget is used; {@code onWait} hears, once,
     * why the host waits. Empty when the host may start, else why it may not start at all.
     */
    public Optional<String> enter(String host, Consumer<String> onWait) throws InterruptedException {
        boolean told = false;
        synchronized (this) {
            while (running.size() + broken.size() >= max) {
                if (running.isEmpty()) {
                    return Optional.of("host '" + host + "' not started: max_out_of_service (" + max + ") is used up by hosts "
                            + "left out of service: " + String.join(", ", broken));
                }
                if (!told) {
                    told = true;
                    String why = "host '" + host + "' waits: " + (running.size() + broken.size()) + " hosts out of service ("
                            + String.join(", ", union()) + "), max_out_of_service is " + max;
                    onWait.accept(why);
                }
                wait();
            }
            running.add(host);
            peak = Math.max(peak, running.size() + broken.size());
            return Optional.empty();
        }
    }

    /** The host's turn is over: back in service (finished ok, rolled back) or left broken. */
    public synchronized void leave(String host, boolean backInService) {
        if (running.remove(host) && !backInService) {
            broken.add(host);
        }
        notifyAll();
    }

    /** The most hosts that were out of service at once. */
    public synchronized int peak() {
        return peak;
    }

    private Set<String> union() {
        Set<String> all = new LinkedHashSet<>(running);
        all.addAll(broken);
        return all;
    }
}
