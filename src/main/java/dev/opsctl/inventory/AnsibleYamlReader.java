package dev.opsctl.inventory;

import dev.opsctl.source.MapNode;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import dev.opsctl.source.ScalarNode;
import java.util.Map;

/**
 * Reads an Ansible YAML inventory: top-level groups (usually {@code all}), each with
 * {@code hosts} (name: vars or nothing), {@code children} (nested groups) and {@code vars}, in the
 * order they are written, as Ansible does: that order is the order a glob meets host names in.
 */
final class AnsibleYamlReader {
    private AnsibleYamlReader() {}

    static void read(MapNode root, InventoryDraft draft) {
        root.entries().forEach((name, e) -> group(name, e.value(), draft));
    }

    private static void group(String name, Node node, InventoryDraft draft) {
        draft.group(name, node.pos());
        if (node instanceof ScalarNode s && s.isNull()) {
            return;
        }
        MapReader.of(node, "group '" + name + "'", draft.problems()).ifPresent(r -> {
            for (String key : r.node().entries().keySet()) {
                switch (key) {
                    case "hosts" -> r.node("hosts").ifPresent(hosts -> hosts(name, hosts, draft));
                    case "vars" -> r.node("vars").ifPresent(v -> draft.groupVars(name, v.pos(),
                            YamlValues.vars(v, "'vars' of group '" + name + "'", draft.problems()), YamlValues.keyPositions(v)));
                    case "children" -> r.node("children").ifPresent(children -> children(name, children, draft));
                    default -> {
                        // finish() reports it as unknown
                    }
                }
            }
            r.allow("hosts", "vars", "children");
            r.finish();
        });
    }

    private static void hosts(String group, Node hosts, InventoryDraft draft) {
        if (hosts instanceof ScalarNode s && s.isNull()) {
            return;
        }
        MapReader.of(hosts, "'hosts' of group '" + group + "'", draft.problems()).ifPresent(h -> {
            for (MapNode.Entry e : h.node().entries().values()) {
                Map<String, Object> vars = YamlValues.vars(e.value(), "host '" + e.key() + "'", draft.problems());
                AnsibleHostPattern names = AnsibleHostPattern.of(e.key());
                names.error().ifPresent(err -> draft.problems().error(e.keyPos(), err));
                for (String n : names.names()) {
                    if (n.isEmpty()) {
                        draft.problems().error(e.keyPos(), "the host name is empty", "write a host name, or remove the entry");
                        continue;
                    }
                    draft.host(n, e.keyPos(), names.port(), vars, YamlValues.keyPositions(e.value()));
                    draft.member(group, n, e.keyPos());
                }
            }
        });
    }

    private static void children(String group, Node children, InventoryDraft draft) {
        if (children instanceof ScalarNode s && s.isNull()) {
            return;
        }
        MapReader.of(children, "'children' of group '" + group + "'", draft.problems()).ifPresent(c -> {
            for (MapNode.Entry e : c.node().entries().values()) {
                draft.child(group, e.key(), e.keyPos());
                group(e.key(), e.value(), draft);
            }
        });
    }
}
