package dev.opsctl.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The inventory the lost-connection tests run on: web1 then web2, in group {@code web}. */
final class WebInventory {
    private WebInventory() {}

    /** Writes {@code inventory.yaml} in {@code dir}; each entry is a flow mapping ({@code {address: ..., port: ...}}). */
    static Path write(Path dir, String web1, String web2) throws IOException {
        return Files.writeString(dir.resolve("inventory.yaml"), """
                apiVersion: opsctl/v1
                kind: Inventory
                hosts:
                  web1: %s
                  web2: %s
                groups:
                  web: {hosts: [web1, web2]}
                """.formatted(web1, web2));
    }
}
