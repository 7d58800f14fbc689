package dev.opsctl.inventory;

import dev.opsctl.source.MapNode;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import dev.opsctl.source.ScalarNode;
import java.util.Map;

/**
 * Reads an Ansible YAML inventory: top-level groups (usually {@code all}), each with
 * {@code hosts} (name: vars or nothing), {@code children} (nested groups) and {@code vars}.
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
            r.node("hosts").ifPresent(hosts -> {
                if (hosts instanceof ScalarNode s && s.isNull()) {
                    return;
                }
                MapReader.of(hosts, "'hosts' of group '" + name + "'", draft.problems()).ifPresent(h -> {
                    for (MapNode.Entry e : h.node().entries().values()) {
                        Map<String, Object> vars = YamlValues.vars(e.value(), "host '" + e.key() + "'", draft.problems());
                        HostRanges.Result names = HostRanges.expand(e.key());
                        names.error().ifPresent(err -> draft.problems().error(e.keyPos(), err));
                        for (String n : names.names()) {
                            draft.host(n, e.keyPos(), vars, YamlValues.keyPositions(e.value()));
                            draft.member(name, n, e.keyPos());
                        }
                    }
                });
            });
            r.node("vars").ifPresent(v -> draft.groupVars(name, v.pos(), YamlValues.vars(v, "'vars' of group '" + name + "'", draft.problems()),
                    YamlValues.keyPositions(v)));
            r.node("children").ifPresent(children -> {
                if (children instanceof ScalarNode s && s.isNull()) {
                    return;
                }
                MapReader.of(children, "'children' of group '" + name + "'", draft.problems()).ifPresent(c -> {
                    for (MapNode.Entry e : c.node().entries().values()) {
                        draft.child(name, e.key(), e.keyPos());
                        group(e.key(), e.value(), draft);
                    }
                });
            });
            r.finish();
        });
    }
}
