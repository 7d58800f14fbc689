package dev.opsctl.app;

import dev.opsctl.inventory.Host;
import dev.opsctl.inventory.HostPattern;
import dev.opsctl.inventory.HostPatternException;
import dev.opsctl.inventory.Inventory;
import java.util.List;

/**
 * The hosts a run takes: the runbook's {@code targets} patterns, narrowed by {@code --limit}
 * (Ansible semantics: the limit intersects). Hosts come in the order the targets name them, which
 * is the order Ansible runs a play's hosts in and cuts its {@code serial} batches from: {@code
 * targets: [app_canary, app_hosts]} runs the canary first. The limit keeps that order.
 */
public final class HostSelection {
    private HostSelection() {}

    public static List<Host> select(Inventory inv, List<String> targets, List<String> limit) throws OpsctlException {
        try {
            List<Host> out = HostPattern.parse(targets.isEmpty() ? List.of("all") : targets).select(inv);
            if (!limit.isEmpty()) {
                out = HostPattern.parse(limit).limit(inv, out);
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
}
