package dev.opsctl.inventory;

import dev.opsctl.source.MapNode;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import dev.opsctl.source.ScalarNode;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads an Ansible YAML inventory: top-level groups (usually {@code all}), each with
 * {@code hosts} (name: vars or nothing), {@code children} (nested groups) and {@code vars}, in the
 * order they are written, as Ansible does: that order is the order a glob meets host names in.
 * Scalars are typed as Ansible's YAML 1.1 reader types them ({@link AnsibleYamlScalars}); as in
 * Ansible, a section given as one name ({@code hosts: web1}) is that one entry.
 */
final class AnsibleYamlReader {
    private static final String NOT_TEXT = "Ansible's YAML 1.1 reads it as a number, boolean, date or null, and refuses the file";
    private final InventoryDraft draft;
    private final Function<ScalarNode, Object> scalars;

    private AnsibleYamlReader(InventoryDraft draft) {
        this.draft = draft;
        this.scalars = s -> AnsibleYamlScalars.value(s).orElseGet(() -> {
            draft.problems().error(s.pos(), "a plain '=' is no value Ansible can read (YAML 1.1 gives it a type of its own)",
                    "quote it: '='");
            return s.text();
        });
    }

    static void read(MapNode root, InventoryDraft draft) {
        AnsibleYamlReader reader = new AnsibleYamlReader(draft);
        root.entries().values().forEach(e -> reader.groupName(e).ifPresent(name -> reader.group(name, e.value())));
    }

    /** The entry's key as a group name, if Ansible takes it as one. */
    private Optional<String> groupName(MapNode.Entry e) {
        if (!(e.value() instanceof MapNode) && !(e.value() instanceof ScalarNode s && s.isNull())) {
            return Optional.of(e.key()); // group() refuses it: Ansible skips it, whatever its name
        }
        if (!AnsibleYamlScalars.isText(e.key(), e.plainKey())) {
            draft.problems().error(e.keyPos(), "the group name '" + e.key() + "' is not text: " + NOT_TEXT, "quote it: '" + e.key() + "'");
            return Optional.empty();
        }
        if (e.key().isEmpty()) {
            draft.problems().error(e.keyPos(), "the group name is empty", "name the group, or remove the entry");
            return Optional.empty();
        }
        return Optional.of(e.key());
    }

    private void group(String name, Node node) {
        draft.group(name, node.pos());
        if (node instanceof ScalarNode s && s.isNull()) {
            return;
        }
        MapReader.of(node, "group '" + name + "'", draft.problems()).ifPresent(r -> {
            for (MapNode.Entry e : r.node().entries().values()) {
                switch (e.key()) {
                    case "hosts" -> section(name, e).ifPresent(hosts -> hosts(name, hosts));
                    case "vars" -> section(name, e).ifPresent(v -> draft.groupVars(name, v.pos(),
                            YamlValues.vars(v, "'vars' of group '" + name + "'", draft.problems(), scalars), YamlValues.keyPositions(v)));
                    case "children" -> section(name, e).ifPresent(children -> children(name, children));
                    default -> {
                        // finish() reports it as unknown
                    }
                }
            }
            r.allow("hosts", "vars", "children");
            r.finish();
        });
    }

    /** A section's mapping: one given as a name is that name alone, as Ansible has it; nothing for null. */
    private Optional<MapNode> section(String group, MapNode.Entry e) {
        Node n = e.value();
        if (n instanceof ScalarNode s && s.isNull()) {
            return Optional.empty();
        }
        if (n instanceof ScalarNode s && scalars.apply(s) instanceof String name) {
            ScalarNode nothing = new ScalarNode("", ScalarNode.Kind.NULL, s.pos(), true);
            return Optional.of(new MapNode(Map.of(name, new MapNode.Entry(name, s.pos(), nothing, s.plain())), s.pos()));
        }
        if (n instanceof MapNode m) {
            return Optional.of(m);
        }
        draft.problems().error(n.pos(), "'" + e.key() + "' of group '" + group + "' must be a mapping, not " + n.describe(),
                "write each entry as 'name:' on a line of its own");
        return Optional.empty();
    }

    private void hosts(String group, MapNode hosts) {
        for (MapNode.Entry e : hosts.entries().values()) {
            if (!AnsibleYamlScalars.isText(e.key(), e.plainKey())) {
                draft.problems().error(e.keyPos(), "the host name '" + e.key() + "' is not text: " + NOT_TEXT, "quote it: '" + e.key() + "'");
                continue;
            }
            Map<String, Object> vars = hostVars(e);
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
    }

    /** A host's variables: as in Ansible, anything false in Python (null, '', 0, [], {}) is none. */
    private Map<String, Object> hostVars(MapNode.Entry e) {
        if (!(e.value() instanceof MapNode) && AnsibleYamlScalars.isFalsy(YamlValues.value(e.value(), scalars))) {
            return Map.of();
        }
        return YamlValues.vars(e.value(), "host '" + e.key() + "'", draft.problems(), scalars);
    }

    private void children(String group, MapNode children) {
        for (MapNode.Entry e : children.entries().values()) {
            groupName(e).ifPresent(name -> {
                draft.child(group, name, e.keyPos());
                group(name, e.value());
            });
        }
    }
}
