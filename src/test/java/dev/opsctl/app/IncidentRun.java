package dev.opsctl.app;

import dev.opsctl.engine.execute.TargetProvider;
import dev.opsctl.engine.fakes.RecordingSink;
import dev.opsctl.event.RunEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Runs an incident playbook from {@code runbooks/incident/} in-process through the standard wiring
 * (loader, engine, journal), non-interactively: what the operator sees is the notices, what is kept
 * is the journal.
 */
final class IncidentRun {
    static final Path DIR = ShippedRunbooksTest.DIR.resolve("incident");

    /** What a run left behind: exit code, every event and the journal's text. */
    record Result(int code, RecordingSink events, String journal) {
        /** Every notice, as 'level|message'. */
        List<String> notices() {
            return events.of(RunEvent.Notice.class).stream().map(n -> n.level() + "|" + n.message()).toList();
        }

        boolean said(String level, String start) {
            return notices().stream().anyMatch(n -> n.startsWith(level + "|" + start));
        }

        String notice(String level, String start) {
            return notices().stream().filter(n -> n.startsWith(level + "|" + start)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + level + " notice starting '" + start + "' in:\n" + describe()));
        }

        /** The outcome of a step (ok, changed, skipped, failed, ...) on the only host. */
        String outcome(String step) {
            List<RunEvent.StepFinished> f = events.of(RunEvent.StepFinished.class).stream().filter(e -> e.step().equals(step)).toList();
            if (f.isEmpty()) {
                throw new AssertionError("step '" + step + "' did not finish; events:\n" + describe());
            }
            return f.get(f.size() - 1).outcome();
        }

        String describe() {
            return events.all().stream().map(Object::toString).collect(Collectors.joining("\n"));
        }
    }

    private IncidentRun() {}

    /** {@code inventory}: empty for the local host. {@code confirms}: the '--confirm' values. */
    static Result run(Path stateDir, String playbook, Optional<Path> inventory, TargetProvider targets, List<String> params,
            List<String> confirms) throws IOException, OpsctlException {
        Env env = Env.from(Map.of("USER", "oncall", "HOME", stateDir.toString()), Optional.of(stateDir), Optional.empty(), false,
                Clock.systemDefaultZone());
        RecordingSink events = new RecordingSink();
        RunRequest request = RunRequest.of(DIR.resolve(playbook + ".yaml")).withExtraVars(params)
                .withAnswers(new GateAnswers(confirms, Optional.empty()));
        if (inventory.isPresent()) {
            request = request.withInventory(inventory.get());
        }
        int code = Services.standard(env, Prompter.NON_INTERACTIVE, targets).runs().run(request, events);
        String journal = "";
        String runId = events.of(RunEvent.RunStarted.class).get(0).runId();
        Path j = stateDir.resolve("runs").resolve(runId).resolve("journal.jsonl");
        if (Files.exists(j)) {
            journal = Files.readString(j);
        }
        return new Result(code, events, journal);
    }
}
