package dev.opsctl.inventory;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Hosts in file order and the groups that name them (every host is also in {@code all}). */
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
