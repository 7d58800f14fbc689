package dev.opsctl.engine.plan;

import dev.opsctl.inventory.Host;
import java.util.List;

/** One batch of hosts that run at the same time (up to {@code forks}); {@code index} counts from 1. */
public record HostBatch(int index, List<Host> hosts) {
    public HostBatch {
        hosts = List.copyOf(hosts);
    }

    public List<String> names() {
        return hosts.stream().map(Host::name).toList();
    }
}
