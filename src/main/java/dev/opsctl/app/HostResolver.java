package dev.opsctl.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The host names a checklist's host items run for, from {@code -i INVENTORY} and {@code -l LIMIT}.
 * Until the inventory loader is wired in, {@link #LOCAL_ONLY} gives {@code localhost} and refuses an
 * inventory.
 */
@FunctionalInterface
public interface HostResolver {
    HostResolver LOCAL_ONLY = (inventory, limit) -> {
        if (inventory.isPresent()) {
            throw new ChecklistException("inventories are not supported by this build of 'checklist run' yet",
                    "leave out -i to check the local host");
        }
        return List.of("localhost");
    };

    List<String> hosts(Optional<Path> inventory, Optional<String> limit) throws ChecklistException;
}
