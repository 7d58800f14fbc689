package dev.opsctl.inventory;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Hosts in run order, and each group's hosts in its order (every host is also in {@code all}): as
 * Ansible orders them for an Ansible inventory, as declared for opsctl YAML.
 */
public record Inventory(String source, List<Host> hosts, Map<String, List<String>> groups) {
    public Inventory {
        hosts = List.copyOf(hosts);
        groups = Map.copyOf(groups);
    }

    public static Inventory localOnly() {
        Host h = Host.local();
        return new Inventory("<local>", List.of(h), Map.of("all", List.of(h.name()), "local", List.of(h.name())));
    }

    public Optional<Host> host(String name) {
        return hosts.stream().filter(h -> h.name().equals(name)).findFirst();
    }
}
