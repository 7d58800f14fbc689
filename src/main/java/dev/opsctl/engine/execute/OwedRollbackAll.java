package dev.opsctl.engine.execute;

import java.util.List;

/**
 * A resumed run whose journal says a trigger decided {@code rollback-all} ({@code reason}) before opsctl
 * stopped: no host goes on with its steps, and {@code hosts}, those that ran and are not rolled back yet,
 * are rolled back in this order (the order the dead run would have taken). Every other host keeps the end
 * its {@link HostResume} carries over.
 */
public record OwedRollbackAll(String reason, List<String> hosts) {
    public OwedRollbackAll {
        hosts = List.copyOf(hosts);
    }
}
