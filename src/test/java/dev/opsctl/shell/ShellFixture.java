package dev.opsctl.shell;

import dev.opsctl.app.RunSummary;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A shell over {@link FakeTree} on piped streams, with a temp state dir, an inventory and two runs. */
final class ShellFixture {
    final Path dir;
    final FakeTree tree = new FakeTree();
    final List<RunSummary> runs = new ArrayList<>(List.of(
            new RunSummary("20261122-0201-userns-remap", "userns-remap", Instant.parse("2026-11-22T02:01:00Z"), "interrupted",
                    List.of("web1", "web2"), "ops"),
            new RunSummary("20261121-2300-config-backup", "config-backup", Instant.parse("2026-11-21T23:00:00Z"), "ok",
                    List.of("db1"), "ops")));
    final ByteArrayOutputStream screen = new ByteArrayOutputStream();

    KeptConnections connections = KeptConnections.NONE;

    ShellFixture(Path dir) throws IOException {
        this.dir = dir;
        Files.writeString(dir.resolve("prod-inventory.ini"), "[web]\nweb1 ansible_host=10.0.0.1\nweb2 ansible_host=10.0.0.2\n[db]\ndb1\n");
    }

    ShellSetup setup(Optional<Path> inventory, Optional<Path> explicitStateDir) {
        return new ShellSetup(tree, dir.resolve("state"), explicitStateDir, () -> List.of("config-backup", "userns-remap"),
                () -> List.of("daily", "weekly"), () -> List.copyOf(runs), inventory, dir, ZoneOffset.UTC, connections);
    }

    /** Types {@code lines} (each ended by Enter) into a new shell and runs it to the end of input. */
    int type(String... lines) throws IOException {
        return type(setup(Optional.empty(), Optional.empty()), lines);
    }

    int type(ShellSetup setup, String... lines) throws IOException {
        String input = lines.length == 0 ? "" : String.join("\n", lines) + "\n";
        try (IncidentShell shell = IncidentShell.piped(setup, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), screen)) {
            return shell.run();
        }
    }

    IncidentShell shell() throws IOException {
        return IncidentShell.piped(setup(Optional.empty(), Optional.empty()), new ByteArrayInputStream(new byte[0]), screen);
    }

    String screen() {
        return screen.toString(StandardCharsets.UTF_8);
    }
}
