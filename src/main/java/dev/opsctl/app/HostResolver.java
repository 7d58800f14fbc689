package dev.opsctl.app;

import dev.opsctl.inventory.Host;
import dev.opsctl.inventory.Inventory;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The hosts a checklist's host items run for, from {@code -i INVENTORY} and {@code -l LIMIT}, as the
 * inventory has them (address, port, user, ...). {@link #LOCAL_ONLY} gives {@code localhost} and refuses
 * an inventory; {@link #inventories} reads one.
 */
@FunctionalInterface
public interface HostResolver {
    HostResolver LOCAL_ONLY = (inventory, limit) -> {
        if (inventory.isPresent()) {
            throw new ChecklistException("inventories are not supported by this build of 'checklist run' yet",
                    "leave out -i to check the local host");
        }
        return List.of(Host.local());
    };

    List<Host> hosts(Optional<Path> inventory, Optional<String> limit) throws ChecklistException;

    /** Every host of the inventory, narrowed by the limit (a host pattern); {@code localhost} without one. */
    static HostResolver inventories(InventorySource inventories) {
        return (inventory, limit) -> {
            if (inventory.isEmpty()) {
                return List.of(Host.local());
            }
            try {
                Inventory inv = inventories.load(inventory.get());
                return HostSelection.select(inv, List.of(), limit.map(List::of).orElse(List.of()));
            } catch (OpsctlException e) {
                throw new ChecklistException(e.getMessage(), "");
            }
        };
    }
}
