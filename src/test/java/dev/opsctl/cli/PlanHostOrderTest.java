package dev.opsctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code opsctl plan} cuts batches from the hosts in the order the runbook's {@code targets} name
 * them, as Ansible cuts a play's {@code serial} batches: a canary group named first is batch 1,
 * though the inventory's {@code all} has it last, and {@code --limit} keeps it. Ansible 2.14 runs
 * these plays in the same order.
 */
class PlanHostOrderTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void canaryRunbookAndInventory() throws IOException {
        Files.writeString(tmp.resolve("canary.ini"), """
                [app_hosts]
                app1
                app2
                app3
                [app_canary]
                app3
                """);
        Files.writeString(tmp.resolve("hosts.ini"), """
                [db]
                app3
                [app_hosts]
                app1
                app2
                app3
                [app_canary]
                app3
                """);
        Files.writeString(tmp.resolve("restart.yaml"), """
                apiVersion: opsctl/v1
                kind: Runbook
                metadata: {name: restart-app, description: canary first}
                targets: [app_canary, app_hosts]
                strategy: {serial: [1, "100%"], max_failures: 0}
                steps:
                  - id: restart
                    shell: "true"
                """);
        Files.writeString(tmp.resolve("rolling.yaml"), """
                apiVersion: opsctl/v1
                kind: Runbook
                metadata: {name: rolling, description: one at a time}
                targets: app_hosts
                strategy: {serial: 1}
                steps:
                  - id: restart
                    shell: "true"
                """);
    }

    @Test
    void theCanaryNamedFirstInTargetsIsTheFirstBatch() {
        CliResult r = CliResult.run(Map.of("TERM", "dumb", "NO_COLOR", "1"), tmp, "plan", "restart.yaml", "-i", "canary.ini");
        assertEquals(0, r.code(), r.dump());
        assertTrue(r.out().contains("  batch 1: app3  ~1s\n  batch 2: app1, app2  ~1s\n"), r.dump());

        CliResult limited = CliResult.run(Map.of("TERM", "dumb", "NO_COLOR", "1"), tmp, "plan", "restart.yaml", "-i", "canary.ini",
                "--limit", "app2:app3");
        assertEquals(0, limited.code(), limited.dump());
        assertTrue(limited.out().contains("  batch 1: app3  ~1s\n  batch 2: app2  ~1s\n"), limited.dump());
    }

    @Test
    void aGroupRunsInItsOwnOrderNotInAllsOrder() {
        // all is app3, app1, app2 here: db comes first
        CliResult r = CliResult.run(Map.of("TERM", "dumb", "NO_COLOR", "1"), tmp, "plan", "rolling.yaml", "-i", "hosts.ini");
        assertEquals(0, r.code(), r.dump());
        assertTrue(r.out().contains("  batch 1: app1  ~1s\n  batch 2: app2  ~1s\n  batch 3: app3  ~1s\n"), r.dump());
    }
}
