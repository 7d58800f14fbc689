package dev.opsctl.app;

import dev.opsctl.inventory.Host;
import dev.opsctl.inventory.Inventory;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Ansible-style host patterns over an inventory: names and groups, {@code *} wildcards,
 * {@code a:b} union, {@code :!x} exclusion, {@code :&x} intersection. The runbook's {@code targets}
 * first, then {@code --limit} narrows them. Hosts keep inventory order.
 */
public final class HostSelection {
    private HostSelection() {}

    public static List<Host> select(Inventory inv, List<String> targets, List<String> limit) throws OpsctlException {
        Set<String> chosen = match(inv, targets.isEmpty() ? List.of("all") : targets);
        if (!limit.isEmpty()) {
            chosen.retainAll(match(inv, limit));
        }
        List<Host> out = new ArrayList<>();
        for (Host h : inv.hosts()) {
            if (chosen.contains(h.name())) {
                out.add(h);
            }
        }
        if (out.isEmpty()) {
            throw OpsctlException.usage("no hosts match " + quoted(targets) + (limit.isEmpty() ? "" : " limited to " + quoted(limit))
                    + " in inventory '" + inv.source() + "'");
        }
        return out;
    }

    private static String quoted(List<String> patterns) {
        return "'" + String.join(":", patterns) + "'";
    }

    private static Set<String> match(Inventory inv, List<String> patterns) throws OpsctlException {
        Set<String> result = new LinkedHashSet<>();
        List<String> parts = new ArrayList<>();
        for (String p : patterns) {
            for (String part : p.split("[:,]")) {
                if (!part.isBlank()) {
                    parts.add(part.strip());
                }
            }
        }
        for (String part : parts) {
            if (part.startsWith("!")) {
                result.removeAll(names(inv, part.substring(1)));
            } else if (part.startsWith("&")) {
                result.retainAll(names(inv, part.substring(1)));
            } else {
                Set<String> n = names(inv, part);
                if (n.isEmpty()) {
                    throw OpsctlException.usage("pattern '" + part + "' matches no host or group in inventory '" + inv.source()
                            + "'" + dev.opsctl.source.DidYouMean.closest(part, candidates(inv))
                                    .map(c -> "; did you mean '" + c + "'?").orElse(""));
                }
                result.addAll(n);
            }
        }
        return result;
    }

    private static List<String> candidates(Inventory inv) {
        List<String> c = new ArrayList<>(inv.groups().keySet());
        inv.hosts().forEach(h -> c.add(h.name()));
        return c;
    }

    private static Set<String> names(Inventory inv, String pattern) {
        Set<String> out = new LinkedHashSet<>();
        if (pattern.equals("all") || pattern.equals("*")) {
            inv.hosts().forEach(h -> out.add(h.name()));
            return out;
        }
        Pattern glob = Pattern.compile(Pattern.quote(pattern).replace("*", "\\E.*\\Q"));
        inv.groups().forEach((g, members) -> {
            if (glob.matcher(g).matches()) {
                out.addAll(members);
            }
        });
        inv.hosts().forEach(h -> {
            if (glob.matcher(h.name()).matches()) {
                out.add(h.name());
            }
        });
        return out;
    }
}
