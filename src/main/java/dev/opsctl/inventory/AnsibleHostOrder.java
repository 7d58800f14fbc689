package dev.opsctl.inventory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order Ansible lists a group's hosts in, which is the order it runs them in: the group's own
 * hosts, then its children's, breadth-first, each host where it is first met. The children of
 * {@code all} are {@code ungrouped}, then the groups it names, then every group without a parent,
 * in the order they were declared. Ansible takes the groups of one level below the second out of a
 * set of Group objects, which hash by identity, so in the order of their memory addresses; opsctl
 * takes them in the order written.
 */
final class AnsibleHostOrder {
    private final Map<String, InventoryDraft.GroupDraft> groups;

    private AnsibleHostOrder(Map<String, InventoryDraft.GroupDraft> groups) {
        this.groups = groups;
    }

    /** Every group's hosts in Ansible's order, {@code groups} given in the order they were declared. */
    static Map<String, List<String>> of(Map<String, InventoryDraft.GroupDraft> groups) {
        AnsibleHostOrder order = new AnsibleHostOrder(groups);
        Map<String, List<String>> out = new LinkedHashMap<>();
        groups.keySet().forEach(g -> out.put(g, order.hostsOf(g)));
        return out;
    }

    private List<String> hostsOf(String group) {
        Set<String> hosts = new LinkedHashSet<>();
        Set<String> seen = new LinkedHashSet<>(List.of(group));
        List<String> level = List.of(group);
        while (!level.isEmpty()) {
            List<String> next = new ArrayList<>();
            for (String g : level) {
                hosts.addAll(groups.get(g).hosts());
                for (String child : children(g)) {
                    if (groups.containsKey(child) && seen.add(child)) {
                        next.add(child);
                    }
                }
            }
            level = next;
        }
        return List.copyOf(hosts);
    }

    private Set<String> children(String group) {
        if (!group.equals("all")) {
            return groups.get(group).children();
        }
        Set<String> out = new LinkedHashSet<>();
        if (groups.containsKey("ungrouped")) {
            out.add("ungrouped");
        }
        out.addAll(groups.get("all").children());
        for (String g : groups.keySet()) {
            if (!g.equals("all") && groups.values().stream().noneMatch(p -> p.children().contains(g))) {
                out.add(g);
            }
        }
        return out;
    }
}
