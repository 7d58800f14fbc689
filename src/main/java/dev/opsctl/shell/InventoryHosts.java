package dev.opsctl.shell;

import dev.opsctl.app.InventoryService;
import dev.opsctl.inventory.Host;
import dev.opsctl.inventory.Inventory;
import dev.opsctl.source.Problems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Inventories as the shell uses them: loaded to check {@code use -i}, and their host and group names
 * for completing {@code -l}. The last inventory is kept until its file changes, so Tab stays fast.
 */
final class InventoryHosts {
    private final InventoryService service = new InventoryService();
    private Path cachedFile;
    private FileTime cachedTime;
    private List<String> cachedNames = List.of();

    /** The inventory, or empty with its problems in {@code problems}. */
    Optional<Inventory> load(Path file, Problems problems) {
        return service.load(file, problems);
    }

    /** Host names in inventory order, then group names sorted; empty when the file does not load. */
    synchronized List<String> names(Path file) {
        FileTime time;
        try {
            time = Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return List.of();
        }
        if (file.equals(cachedFile) && time.equals(cachedTime)) {
            return cachedNames;
        }
        List<String> names = new ArrayList<>();
        load(file, new Problems()).ifPresent(inv -> {
            inv.hosts().stream().map(Host::name).forEach(names::add);
            // Every inventory has 'ungrouped', as in Ansible; offered only when it holds a host.
            new TreeSet<>(inv.groups().keySet()).stream().filter(g -> !names.contains(g))
                    .filter(g -> !g.equals("ungrouped") || !inv.groups().get(g).isEmpty()).forEach(names::add);
        });
        cachedFile = file;
        cachedTime = time;
        cachedNames = List.copyOf(names);
        return cachedNames;
    }
}
