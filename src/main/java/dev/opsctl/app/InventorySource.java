package dev.opsctl.app;

import dev.opsctl.inventory.Inventory;
import java.nio.file.Path;

/** Loads an inventory (opsctl YAML or Ansible INI/YAML; the inventory loader, wired by the composition root). */
@FunctionalInterface
public interface InventorySource {
    /** The loaded inventory; problems are in the exception's message, compiler-style (exit 2). */
    Inventory load(Path file) throws OpsctlException;
}
