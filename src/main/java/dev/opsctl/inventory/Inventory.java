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
 * matches their names in. {@code ambiguousNames} are hosts named like a group that holds other
 * hosts too; a pattern that names one is refused.
 */
public record Inventory(String source, List<Host> hosts, Map<String, List<String>> groups, List<String> declaredHosts,
        List<AmbiguousName> ambiguousNames) {
    public Inventory {
        hosts = List.copyOf(hosts);
        Map<String, List<String>> ordered = new LinkedHashMap<>();
        groups.forEach((g, members) -> ordered.put(g, List.copyOf(members)));
        groups = Collections.unmodifiableMap(ordered);
        declaredHosts = List.copyOf(declaredHosts);
        ambiguousNames = List.copyOf(ambiguousNames);
    }

    /** Hosts declared in run order. */
    public Inventory(String source, List<Host> hosts, Map<String, List<String>> groups) {
        this(source, hosts, groups, hosts.stream().map(Host::name).toList(), List.of());
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
