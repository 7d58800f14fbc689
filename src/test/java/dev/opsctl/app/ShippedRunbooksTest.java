package dev.opsctl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.ActionRegistry;
import dev.opsctl.engine.plan.Plan;
import dev.opsctl.param.Param;
import dev.opsctl.runbook.load.Checklists;
import dev.opsctl.runbook.load.LoadResult;
import dev.opsctl.runbook.load.RunbookLoader;
import dev.opsctl.runbook.model.Runbook;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every runbook shipped in {@code runbooks/} and its subdirectories ({@code runbooks/incident/}) loads without a
 * problem (as 'validate' does) and plans (as 'plan' does); {@code parts/} directories hold included steps, not runbooks.
 */
class ShippedRunbooksTest {
    static final Path DIR = Path.of("runbooks");

    @TempDir
    Path tmp;

    static Stream<Path> shipped() throws IOException {
        try (Stream<Path> files = Files.walk(DIR)) {
            return files.filter(p -> p.toString().endsWith(".yaml") && !isPart(p)).sorted().toList().stream();
        }
    }

    private static boolean isPart(Path p) {
        for (Path segment : DIR.relativize(p)) {
            if (segment.toString().equals("parts")) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theIncidentPlaybooksAreShipped() throws IOException {
        List<String> names = shipped().map(p -> DIR.relativize(p).toString()).toList();
        for (String playbook : List.of("gateway-not-responding", "upstream-502", "upstream-address-changed", "container-wont-start",
                "monitoring-down")) {
            assertTrue(names.contains("incident/" + playbook + ".yaml"), names.toString());
        }
    }

    @ParameterizedTest
    @MethodSource("shipped")
    void validatesWithoutAnyProblem(Path file) {
        LoadResult r = new RunbookLoader(ActionRegistry.standard(), Checklists.ANY).load(file);
        assertTrue(r.problems().isEmpty(), r.problems().render());
        assertTrue(r.runbook().isPresent());
    }

    @ParameterizedTest
    @MethodSource("shipped")
    void plansWithItsDefaultsAndEveryRequiredParamGiven(Path file) throws Exception {
        Services services = Services.standard(Env.from(Map.of("USER", "ops", "HOME", tmp.toString()), Optional.of(tmp.resolve("state")),
                Optional.empty(), false, Clock.systemUTC()), Prompter.NON_INTERACTIVE);
        Runbook rb = new LoaderRunbooks(ActionRegistry.standard(), Checklists.ANY).load(file);
        List<String> required = new ArrayList<>();
        for (Param p : rb.params()) {
            if (p.defaultValue().isEmpty()) {
                required.add(p.name() + "=" + (p.type() == dev.opsctl.param.ParamType.INT ? "1" : "x"));
            }
        }
        RunRequest request = RunRequest.of(file).withExtraVars(required);
        int hosts = 1;
        if (!rb.targets().isLocal()) {
            // A fleet runbook plans against three hosts in every group it targets.
            hosts = 3;
            StringBuilder inv = new StringBuilder("apiVersion: opsctl/v1\nkind: Inventory\nhosts:\n");
            for (int i = 1; i <= hosts; i++) {
                inv.append("  h").append(i).append(": {address: 127.0.3.").append(i).append("}\n");
            }
            inv.append("groups:\n");
            for (String group : rb.targets().patterns()) {
                inv.append("  ").append(group).append(": {hosts: [h1, h2, h3]}\n");
            }
            Path inventory = Files.writeString(tmp.resolve("inventory.yaml"), inv.toString());
            request = request.withInventory(inventory);
        }
        Plan plan = services.plans().plan(request);
        assertEquals(hosts, plan.hostCount());
        assertFalse(plan.steps().isEmpty());
    }

    @Test
    void everySharedPartIsIncludedBySomeRunbookBesideIt() throws IOException {
        for (Path dir : List.of(DIR, DIR.resolve("incident"))) {
            List<String> texts = new ArrayList<>();
            for (Path rb : shipped().filter(p -> p.getParent().equals(dir)).toList()) {
                texts.add(Files.readString(rb));
            }
            try (Stream<Path> parts = Files.list(dir.resolve("parts"))) {
                for (Path part : parts.toList()) {
                    String name = "parts/" + part.getFileName();
                    assertTrue(texts.stream().anyMatch(t -> t.contains(name)), dir.resolve(name) + " is included by no runbook");
                }
            }
        }
    }
}
