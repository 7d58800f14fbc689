package dev.opsctl.shell;

import java.nio.file.Path;
import java.util.Optional;

/** What one shell session remembers between lines: the inventory of {@code use -i} and the last run it started. */
final class Session {
    private volatile Optional<Path> inventory;
    private volatile Optional<String> lastRun = Optional.empty();

    Session(Optional<Path> inventory) {
        this.inventory = inventory;
    }

    Optional<Path> inventory() {
        return inventory;
    }

    void use(Optional<Path> file) {
        inventory = file;
    }

    Optional<String> lastRun() {
        return lastRun;
    }

    void started(String runId) {
        lastRun = Optional.of(runId);
    }

    /** {@code opsctl[prod-inventory]> }, or {@code opsctl> } with no inventory in use. */
    String prompt() {
        return inventory.map(p -> "opsctl[" + p.getFileName().toString().replaceFirst("\\.(ini|ya?ml|cfg)$", "") + "]> ").orElse("opsctl> ");
    }
}
