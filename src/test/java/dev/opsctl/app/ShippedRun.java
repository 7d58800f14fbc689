package dev.opsctl.app;

import dev.opsctl.engine.execute.TargetProvider;
import dev.opsctl.engine.fakes.RecordingSink;
import dev.opsctl.event.RunEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Runs a runbook shipped in {@code runbooks/} in-process, on the local target, with its own state directory. */
final class ShippedRun {
    /** What a run left behind: exit code, every event, the journal's text, wall time. */
    record Result(int code, RecordingSink events, String journal, Duration elapsed) {
        RunEvent.StepFinished step(String id) {
            return step("localhost", id);
        }

        RunEvent.StepFinished step(String host, String id) {
            List<RunEvent.StepFinished> f = events.finished(host, id);
            if (f.isEmpty()) {
                throw new AssertionError("step '" + id + "' did not finish; events:\n" + describe());
            }
            return f.get(f.size() - 1);
        }

        /** Every event, one a line: what an assertion message shows. */
        String describe() {
            return events.all().stream().map(Object::toString).collect(Collectors.joining("\n"));
        }
    }

    private ShippedRun() {}

    static Result run(Path stateDir, String runbook, List<String> extraVars) throws IOException, OpsctlException {
        return run(stateDir, runbook, extraVars, Map.of());
    }

    static Result run(Path stateDir, String runbook, List<String> extraVars, Map<String, String> environ)
            throws IOException, OpsctlException {
        return run(stateDir, runbook, extraVars, environ, Optional.empty(), Optional.empty());
    }

    /** On the hosts of {@code inventory}, reached through {@code targets} (e.g. SSH to a test host). */
    static Result run(Path stateDir, String runbook, List<String> extraVars, Path inventory, TargetProvider targets)
            throws IOException, OpsctlException {
        return run(stateDir, runbook, extraVars, Map.of(), Optional.of(inventory), Optional.of(targets));
    }

    private static Result run(Path stateDir, String runbook, List<String> extraVars, Map<String, String> environ,
            Optional<Path> inventory, Optional<TargetProvider> targets) throws IOException, OpsctlException {
        Map<String, String> env = new java.util.HashMap<>(Map.of("USER", "ops", "HOME", stateDir.toString()));
        env.putAll(environ);
        Env e = Env.from(env, Optional.of(stateDir), Optional.empty(), false, Clock.systemDefaultZone());
        RecordingSink events = new RecordingSink();
        long t0 = System.nanoTime();
        Services services = targets.isPresent() ? Services.standard(e, Prompter.NON_INTERACTIVE, targets.get())
                : Services.standard(e, Prompter.NON_INTERACTIVE);
        RunRequest request = RunRequest.of(ShippedRunbooksTest.DIR.resolve(runbook + ".yaml")).withExtraVars(extraVars);
        int code = services.runs().run(inventory.map(request::withInventory).orElse(request), events);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
        String journal = "";
        Path runs = stateDir.resolve("runs");
        if (Files.isDirectory(runs)) {
            try (var dirs = Files.list(runs)) {
                for (Path d : dirs.sorted().toList()) {
                    Path j = d.resolve("journal.jsonl");
                    if (Files.exists(j)) {
                        journal = Files.readString(j);
                    }
                }
            }
        }
        return new Result(code, events, journal, elapsed);
    }
}
