package dev.opsctl.inventory;

import dev.opsctl.source.DidYouMean;
import dev.opsctl.source.MapNode;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import dev.opsctl.source.ScalarNode;
import dev.opsctl.source.SeqNode;
import dev.opsctl.source.SourcePos;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads opsctl's own inventory format:
 * <pre>
 * apiVersion: opsctl/v1
 * kind: Inventory
 * vars: {ntp: 10.0.0.1}                  # for every host
 * hosts:
 *   web[01:02]: {address: 10.0.0.5, port: 22, user: deploy, identity_file: ~/.ssh/deploy, become: true, become_user: root, vars: {..}}
 *   db1: {address: 10.0.1.9}
 * groups:
 *   web: {hosts: [web01, web02], vars: {..}}
 *   prod: {children: [web], hosts: [db1]}
 * </pre>
 * Groups may only name hosts and groups defined in the file.
 */
final class OpsctlInventoryReader {
    private OpsctlInventoryReader() {}

    static void read(MapReader r, InventoryDraft draft) {
        String api = r.requiredString("apiVersion", "start the file with 'apiVersion: opsctl/v1'");
        if (!api.isEmpty() && !api.equals("opsctl/v1")) {
            draft.problems().error(r.node("apiVersion").map(Node::pos).orElse(r.pos()), "unsupported apiVersion '" + api + "'",
                    "use 'opsctl/v1'");
        }
        String kind = r.requiredString("kind", "add 'kind: Inventory'");
        if (!kind.isEmpty() && !kind.equals("Inventory")) {
            draft.problems().error(r.node("kind").map(Node::pos).orElse(r.pos()), "this file is a '" + kind
                    + "', not an inventory", "an inventory has 'kind: Inventory'");
        }
        r.node("vars").ifPresent(v -> draft.groupVars("all", v.pos(), YamlValues.vars(v, "'vars'", draft.problems()),
                YamlValues.keyPositions(v)));
        r.map("hosts").ifPresent(hosts -> {
            for (MapNode.Entry e : hosts.node().entries().values()) {
                host(e, draft);
            }
        });
        r.map("groups").ifPresent(groups -> {
            for (MapNode.Entry e : groups.node().entries().values()) {
                draft.group(e.key(), e.keyPos());
            }
            for (MapNode.Entry e : groups.node().entries().values()) {
                group(e, draft);
            }
        });
        r.finish();
    }

    private static void host(MapNode.Entry e, InventoryDraft draft) {
        Map<String, Object> fields = new LinkedHashMap<>();
        Map<String, Object> vars = new LinkedHashMap<>();
        Map<String, SourcePos> varPos = new LinkedHashMap<>();
        if (!(e.value() instanceof ScalarNode s && s.isNull())) {
            MapReader.of(e.value(), "host '" + e.key() + "'", draft.problems()).ifPresent(h -> {
                h.string("address").ifPresent(v -> fields.put("address", v));
                h.integer("port").ifPresent(v -> fields.put("port", v));
                h.string("user").ifPresent(v -> fields.put("user", v));
                h.string("identity_file").ifPresent(v -> fields.put("identity_file", v));
                h.bool("become").ifPresent(v -> fields.put("become", v));
                h.string("become_user").ifPresent(v -> fields.put("become_user", v));
                h.string("connection").ifPresent(v -> fields.put("connection", v));
                h.node("vars").ifPresent(v -> {
                    vars.putAll(YamlValues.vars(v, "'vars' of host '" + e.key() + "'", draft.problems()));
                    varPos.putAll(YamlValues.keyPositions(v));
                });
                h.finish();
            });
        }
        HostRanges.Result names = HostRanges.expand(e.key());
        names.error().ifPresent(err -> draft.problems().error(e.keyPos(), err));
        if (names.error().isEmpty() && names.names().isEmpty()) {
            // Ansible's ranges allow it; in opsctl's own format it can only be a mistake.
            draft.problems().error(e.keyPos(), "'" + e.key() + "' stands for no host: its range counts down", "write the range from low to high");
        }
        for (String n : names.names()) {
            draft.host(n, e.keyPos(), vars, varPos);
            draft.hostFields(n, fields);
        }
    }

    private static void group(MapNode.Entry e, InventoryDraft draft) {
        draft.group(e.key(), e.keyPos());
        if (e.value() instanceof ScalarNode s && s.isNull()) {
            return;
        }
        MapReader.of(e.value(), "group '" + e.key() + "'", draft.problems()).ifPresent(r -> {
            for (Node item : items(r, "hosts")) {
                if (item instanceof ScalarNode s && !s.isNull()) {
                    if (!draft.hasHost(s.text())) {
                        draft.problems().error(s.pos(), "unknown host '" + s.text() + "' in group '" + e.key() + "'",
                                DidYouMean.hint(s.text(), draft.hostNames()));
                    } else {
                        draft.member(e.key(), s.text(), s.pos());
                    }
                } else {
                    draft.problems().error(item.pos(), "a host in group '" + e.key() + "' must be a name, not " + item.describe());
                }
            }
            for (Node item : items(r, "children")) {
                if (item instanceof ScalarNode s && !s.isNull()) {
                    draft.child(e.key(), s.text(), s.pos());
                } else {
                    draft.problems().error(item.pos(), "a child of group '" + e.key() + "' must be a group name, not "
                            + item.describe());
                }
            }
            r.node("vars").ifPresent(v -> draft.groupVars(e.key(), v.pos(), YamlValues.vars(v, "'vars' of group '" + e.key() + "'",
                    draft.problems()), YamlValues.keyPositions(v)));
            r.finish();
        });
    }

    private static List<Node> items(MapReader r, String key) {
        return r.node(key).map(n -> {
            if (n instanceof SeqNode seq) {
                return seq.items();
            }
            if (n instanceof ScalarNode s && s.isNull()) {
                return List.<Node>of();
            }
            return List.of(n);
        }).orElse(List.of());
    }
}
