package dev.opsctl.app;

import dev.opsctl.inventory.Host;
import dev.opsctl.inventory.HostPattern;
import dev.opsctl.inventory.HostPatternException;
import dev.opsctl.inventory.Inventory;
import dev.opsctl.inventory.InventoryLoader;
import dev.opsctl.source.Problems;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** {@code opsctl inventory list|show}: load an inventory and resolve hosts for a limit pattern. */
public final class InventoryService {
    /** The inventory, or empty with every problem in {@code problems}. */
    public Optional<Inventory> load(Path file, Problems problems) {
        return InventoryLoader.load(file, problems);
    }

    /** The hosts a limit pattern selects, in the order the pattern names them, as Ansible runs them ({@code all} when none is given). */
    public List<Host> select(Inventory inventory, Optional<String> limit) throws HostPatternException {
        return HostPattern.select(inventory, limit.orElse("all"));
    }
}
