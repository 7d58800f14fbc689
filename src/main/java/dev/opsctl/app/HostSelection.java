package dev.opsctl.app;

import dev.opsctl.inventory.Host;
import dev.opsctl.inventory.HostPattern;
import dev.opsctl.inventory.HostPatternException;
import dev.opsctl.inventory.Inventory;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The hosts a run takes: the runbook's {@code targets} patterns, narrowed by {@code --limit}
 * (Ansible semantics: the limit intersects). Hosts keep inventory order.
 */
public final class HostSelection {
    private HostSelection() {}

    public static List<Host> select(Inventory inv, List<String> targets, List<String> limit) throws OpsctlException {
        try {
            Set<String> chosen = names(HostPattern.parse(targets.isEmpty() ? List.of("all") : targets).select(inv));
            if (!limit.isEmpty()) {
                chosen.retainAll(names(HostPattern.parse(limit).select(inv)));
            }
            List<Host> out = new ArrayList<>();
            for (Host h : inv.hosts()) {
                if (chosen.contains(h.name())) {
                    out.add(h);
                }
            }
            if (out.isEmpty()) {
                throw OpsctlException.usage("no hosts match '" + String.join(":", targets) + "' limited to '"
                        + String.join(":", limit) + "' in inventory '" + inv.source() + "'");
            }
            return out;
        } catch (HostPatternException e) {
            throw OpsctlException.usage(e.getMessage());
        }
    }

    private static Set<String> names(List<Host> hosts) {
        Set<String> out = new LinkedHashSet<>();
        hosts.forEach(h -> out.add(h.name()));
        return out;
    }
}
