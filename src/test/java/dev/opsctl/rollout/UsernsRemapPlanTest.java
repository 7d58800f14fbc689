package dev.opsctl.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opsctl.Main;
import dev.opsctl.cli.CliEnv;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator sees before the flagship rollout touches anything: {@code opsctl plan} and
 * {@code opsctl rollout userns-remap --dry-run} on three hosts list every step of section 4.2, the
 * rollback triggers of section 6 and an estimate inside the document's 2.2/2.3 ranges.
 */
class UsernsRemapPlanTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> STEPS = List.of("drain-lb", "wait-sessions", "record-containers", "record-pods", "skip-daemon-steps", "app-drain",
            "wait-containers-stopped", "force-stop", "backup-config", "create-dockremap", "install-subids", "set-userns-remap",
            "show-config", "restart-docker", "wait-docker", "verify-userns", "ensure-base-image", "verify-container-id", "verify-sandbox",
            "start-verify-container", "container-pid", "verify-uid-map", "remove-verify-container", "restart-app",
            "wait-warm-pool", "health-check", "workspace-verify", "return-to-lb", "monitor");
    private static final List<String> TRIGGERS = List.of("docker-restart-failed", "docker-did-not-come-back",
            "test-container-failed", "sandbox-check-failed", "uid-map-wrong", "health-500", "proxy-all-failed", "container-start-slow", "success-rate-low");

    @TempDir
    Path tmp;

    private Path inventory;

    @BeforeEach
    void threeDockerHosts() throws IOException {
        // TEST-NET addresses: neither plan nor a dry run may reach a host
        inventory = tmp.resolve("fleet.yaml");
        Files.writeString(inventory, """
                apiVersion: opsctl/v1
                kind: Inventory
                hosts:
                  docker[1:3]: {address: 192.0.2.10, user: deploy}
                groups:
                  docker_hosts: {hosts: [docker1, docker2, docker3]}
                """);
    }

    @Test
    void planListsEveryStepTheTriggersAndAnEstimateWithinTheDocumentsRange() throws Exception {
        Run text = opsctl("plan", "runbooks/userns-remap.yaml", "-i", inventory.toString());

        assertEquals(0, text.code(), text.dump());
        assertTrue(text.out().startsWith("plan: runbook 'userns-remap' on 3 hosts in 3 batches"), text.dump());
        assertStepsInOrder(text.out());
        TRIGGERS.forEach(t -> assertTrue(text.out().contains("  - " + t + ": "), "trigger '" + t + "' missing\n" + text.dump()));
        assertTrue(text.out().contains("  - docker-restart-failed: step 'restart-docker' failed"), text.dump());
        assertTrue(text.out().contains("'status >= 500'"), text.dump());
        assertTrue(text.out().contains("'value > 30' (for 5m, every 30s)\n      then ask: "), text.dump());

        Run json = opsctl("plan", "runbooks/userns-remap.yaml", "-i", inventory.toString(), "-o", "json");
        JsonNode plan = JSON.readTree(json.out());
        long perHost = plan.at("/estimate/perHostSeconds").asLong();
        long wall = plan.at("/estimate/wallSeconds").asLong();
        assertTrue(perHost >= 12 * 60 && perHost <= 20 * 60, "2.2: 12-20 min per host, planned " + perHost + " s");
        assertEquals(5 * 60, plan.at("/estimate/bufferPerHostSeconds").asLong(), "2.3: a 5 min buffer per host");
        assertTrue(wall >= 60 * 60 && wall <= 75 * 60, "2.3: about 60-75 min for 3 hosts, planned " + wall + " s");
        List<String> triggerNames = new ArrayList<>();
        plan.get("triggers").forEach(t -> triggerNames.add(t.get("name").asText()));
        assertEquals(TRIGGERS, triggerNames);
        assertEquals("rollback", plan.at("/triggers/0/action").asText());
        assertEquals("ask", plan.at("/triggers/7/action").asText());
        assertTrue(plan.at("/triggers/7/effect").asText().contains("non-interactive run): run the 10 rollback steps"),
                plan.at("/triggers/7/effect").asText());
    }

    @Test
    void aDryRunShowsThePlanFirstThenSkipsEveryStepAndRollsNothingBack() throws Exception {
        Run r = opsctl("rollout", "userns-remap", "-i", inventory.toString(), "--dry-run", "--ignore-window",
                "--state-dir", tmp.resolve("state").toString());

        assertEquals(0, r.code(), r.dump());
        assertTrue(r.out().startsWith("plan: runbook 'userns-remap' on 3 hosts in 3 batches"), r.dump());
        assertStepsInOrder(r.out());
        assertTrue(r.out().contains("triggers (evaluated after every step, during monitor steps and pauses, and after the last step"
                + " while one is pending):"), r.dump());
        assertTrue(r.out().contains("estimate: ~1h4m42s wall clock; 16m34s per host + 5m buffer"), r.dump());
        for (String host : List.of("docker1", "docker2", "docker3")) {
            assertTrue(r.err().contains("host " + host + ": step 'restart-docker' skipped"), r.dump());
        }
        assertFalse(r.err().contains("trigger '"), "a dry run changed nothing, so no trigger may fire\n" + r.dump());
        assertFalse(r.err().contains("rolling back"), r.dump());
    }

    private static void assertStepsInOrder(String out) {
        int at = 0;
        for (int i = 0; i < STEPS.size(); i++) {
            String line = String.format("%2d. %s ", i + 1, STEPS.get(i));
            int found = out.indexOf(line, at);
            assertTrue(found > at, "step line '" + line + "' missing or out of order\n" + out);
            at = found;
        }
    }

    private record Run(int code, String out, String err) {
        String dump() {
            return "exit " + code + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err + "---";
        }
    }

    private static Run opsctl(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            int code = Main.run(new CliEnv(o, e, Map.of("USER", "alice", "NO_COLOR", "1", "TERM", "dumb"),
                    Path.of("").toAbsolutePath(), false), args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }
}
