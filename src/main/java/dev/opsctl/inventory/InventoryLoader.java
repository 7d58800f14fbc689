package dev.opsctl.inventory;

import dev.opsctl.source.MapNode;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import dev.opsctl.source.Problems;
import dev.opsctl.source.SourcePos;
import dev.opsctl.source.YamlTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Loads an inventory file in whichever format it is: opsctl YAML ({@code apiVersion: opsctl/v1}),
 * Ansible YAML (top-level groups such as {@code all:}) or Ansible INI. Every problem is added to
 * {@code problems} with file:line:col; the inventory is returned only when there were none.
 */
public final class InventoryLoader {
    private InventoryLoader() {}

    public static Optional<Inventory> load(Path path, Problems problems) {
        String name = path.toString();
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException e) {
            problems.error(new SourcePos(name, 0, 0), "cannot read inventory: " + e.getMessage(),
                    "check the path given with -i");
            return Optional.empty();
        }
        return parse(name, text, problems);
    }

    public static Optional<Inventory> parse(String name, String text, Problems problems) {
        Problems local = new Problems();
        InventoryDraft draft = new InventoryDraft(name, local);
        InventoryDraft.HostOrder order = InventoryDraft.HostOrder.ANSIBLE;
        if (looksLikeIni(name, text)) {
            AnsibleIniReader.read(name, text, draft);
        } else {
            Optional<Node> root = YamlTree.parse(name, text, local);
            if (root.isEmpty()) {
                problems.addAll(local);
                return Optional.empty();
            }
            if (!(root.get() instanceof MapNode map)) {
                local.error(root.get().pos(), "an inventory must be a mapping, not " + root.get().describe(),
                        "start with 'apiVersion: opsctl/v1' or an Ansible 'all:' group");
                problems.addAll(local);
                return Optional.empty();
            }
            if (map.entries().containsKey("apiVersion") || map.entries().containsKey("kind")) {
                MapReader.of(map, "the inventory", local).ifPresent(r -> OpsctlInventoryReader.read(r, draft));
                order = InventoryDraft.HostOrder.DECLARED;
            } else {
                AnsibleYamlReader.read(map, draft);
            }
        }
        Optional<Inventory> inv = draft.resolve(true, order);
        problems.addAll(local);
        return problems.hasErrors() ? Optional.empty() : inv;
    }

    /** INI by extension, else by content: YAML has a top-level {@code key:}; INI has sections or bare hosts. */
    static boolean looksLikeIni(String name, String text) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".ini") || lower.endsWith(".cfg")) {
            return true;
        }
        if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
            return false;
        }
        for (String line : text.split("\r?\n")) {
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#") || s.startsWith(";") || s.equals("---")) {
                continue;
            }
            return s.startsWith("[") || !s.matches("^[^\\s:]+:(\\s.*)?$");
        }
        return false;
    }
}
