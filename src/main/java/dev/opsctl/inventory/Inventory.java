package dev.opsctl.inventory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Hosts in run order, each group's hosts in its order (every host is also in {@code all}): as
 * Ansible orders them for an Ansible inventory, as declared for opsctl YAML. Groups, and {@code
 * declaredHosts}, are in the order they were first declared, which is the order a glob or regex
 * matches their names in.
 */
public record Inventory(String source, List<Host> hosts, Map<String, List<String>> groups, List<String> declaredHosts) {
    public Inventory {
        hosts = List.copyOf(hosts);
        Map<String, List<String>> ordered = new LinkedHashMap<>();
        groups.forEach((g, members) -> ordered.put(g, List.copyOf(members)));
        groups = Collections.unmodifiableMap(ordered);
        declaredHosts = List.copyOf(declaredHosts);
    }

    /** Hosts declared in run order. */
    public Inventory(String source, List<Host> hosts, Map<String, List<String>> groups) {
        this(source, hosts, groups, hosts.stream().map(Host::name).toList());
    }

    public static Inventory localOnly() {
        Host h = Host.local();
        Map<String, List<String>> groups = new LinkedHashMap<>();
        groups.put("all", List.of(h.name()));
        groups.put("local", List.of(h.name()));
        return new Inventory("<local>", List.of(h), groups);
    }

    public Optional<Host> host(String name) {
        return hosts.stream().filter(h -> h.name().equals(name)).findFirst();
    }
}
