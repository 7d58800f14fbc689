package dev.opsctl.app;

import dev.opsctl.engine.execute.HostHooks;
import dev.opsctl.engine.fakes.FakeClock;
import dev.opsctl.engine.fakes.FakeTargets;
import dev.opsctl.engine.fakes.RecordingSink;
import dev.opsctl.inventory.Host;
import dev.opsctl.inventory.Inventory;
import dev.opsctl.runbook.model.Runbook;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

/** App services over a temporary state directory, an in-memory runbook and inventory, and fake targets. */
final class AppFixture {
    final FakeClock clock = new FakeClock();
    final FakeTargets targets = new FakeTargets();
    final RecordingSink events = new RecordingSink();
    final AtomicReference<Runbook> runbook = new AtomicReference<>();
    final Path stateDir;
    Inventory inventory;
    Prompter prompter = Prompter.NON_INTERACTIVE;
    Map<String, String> environ = Map.of("USER", "alice", "HOME", "/home/alice");

    AppFixture(Path tmp, Runbook rb, List<Host> hosts) {
        this.stateDir = tmp.resolve("state");
        this.runbook.set(rb);
        Map<String, List<String>> groups = Map.of("all", hosts.stream().map(Host::name).toList(), "web",
                hosts.stream().map(Host::name).toList());
        this.inventory = new Inventory("inv.yaml", hosts, groups);
    }

    Env env() {
        return new Env(stateDir, clock, "alice", false, environ);
    }

    Services services() {
        return new Services(env(), p -> runbook.get(), p -> inventory, targets, HostHooks.NONE, clock.sleeper(), prompter,
                new Random(42));
    }

    RunRequest request() {
        return RunRequest.of(Path.of("runbooks/test.yaml")).withInventory(Path.of("inv.yaml"));
    }

    /** A step that adds, each time it runs, what 'runs list' says of the newest run to {@code seen}; set {@code fixture} first. */
    static dev.opsctl.engine.fakes.TestSteps listing(String id, AtomicReference<AppFixture> fixture, List<String> seen) {
        return dev.opsctl.engine.fakes.TestSteps.step(id, (ctx, call) -> {
            seen.add(fixture.get().services().history().list().get(0).status());
            return dev.opsctl.action.StepResult.ok("", Map.of());
        });
    }
}
