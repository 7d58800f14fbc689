package dev.opsctl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.fakes.RecordingSink;
import dev.opsctl.event.RunEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A remedy behind a 'confirm' step, through the standard wiring (loader, engine, local target,
 * journal): pre-answered by '--confirm ID', asked at a terminal, or failing closed without either.
 */
class ConfirmStepTest {
    @TempDir
    Path tmp;

    private Path runbook;
    private Path marker;

    @BeforeEach
    void write() throws Exception {
        marker = tmp.resolve("restarted");
        runbook = Files.writeString(tmp.resolve("remedy.yaml"), """
                apiVersion: opsctl/v1
                kind: Runbook
                metadata: {name: remedy}
                params:
                  marker: {type: string}
                steps:
                  - id: diagnose
                    notice: {level: warning, message: "likely cause: the gateway process is not running"}
                  - id: restart-gateway
                    confirm: {question: "restart the gateway on {{ host.name }}?", default: false}
                  - id: restart
                    when: steps.restart-gateway.confirmed
                    shell: "touch {{ marker }}"
                  - id: escalate
                    when: not steps.restart-gateway.confirmed
                    notice: {level: error, message: "not recovered: escalate to the development team (30 minutes without recovery)"}
                """);
    }

    private record Run(int code, RecordingSink events, String journal) {
        List<String> notices() {
            return events.of(RunEvent.Notice.class).stream().map(n -> n.level() + "|" + n.message()).toList();
        }

        String outcome(String step) {
            return events.finished("localhost", step).get(0).outcome();
        }
    }

    private Run run(RunRequest request, Prompter prompter, boolean interactive) throws Exception {
        Env env = Env.from(Map.of("USER", "alice", "HOME", tmp.toString()), Optional.of(tmp.resolve("state")), Optional.empty(),
                interactive, Clock.systemUTC());
        RecordingSink events = new RecordingSink();
        int code = Services.standard(env, prompter).runs().run(request.withExtraVars(List.of("marker=" + marker)), events);
        String journal = "";
        try (var dirs = Files.list(tmp.resolve("state/runs"))) {
            for (Path d : dirs.toList()) {
                journal = Files.readString(d.resolve("journal.jsonl"));
            }
        }
        return new Run(code, events, journal);
    }

    @Test
    void withoutAPreAnswerANonInteractiveRunSkipsTheRemedySaysHowToConfirmAndSucceeds() throws Exception {
        Run r = run(RunRequest.of(runbook), Prompter.NON_INTERACTIVE, false);
        assertEquals(ExitCodes.OK, r.code(), r.events().all().toString());
        assertFalse(Files.exists(marker), "the remedy must not run unconfirmed");
        assertEquals("skipped", r.outcome("restart"));
        List<String> notices = r.notices();
        assertTrue(notices.contains("warning|likely cause: the gateway process is not running"), notices.toString());
        assertTrue(notices.stream().anyMatch(n -> n.startsWith("warning|step 'restart-gateway' not confirmed (nobody to ask in a non-interactive run): "
                + "restart the gateway on localhost?") && n.contains("rerun with '--confirm restart-gateway' to confirm")), notices.toString());
        assertTrue(notices.contains("error|not recovered: escalate to the development team (30 minutes without recovery)"),
                notices.toString());
        assertTrue(r.journal().contains("escalate to the development team (30 minutes without recovery)"), r.journal());
        assertTrue(r.journal().contains("\"type\":\"notice\""), r.journal());
    }

    @Test
    void aPreAnswerRunsTheRemedyWithoutAskingAndTheJournalSaysWhoConfirmed() throws Exception {
        List<String> asked = new ArrayList<>();
        Prompter prompter = q -> {
            asked.add(q);
            return false;
        };
        Run r = run(RunRequest.of(runbook).withAnswers(new GateAnswers(List.of("restart-gateway"), Optional.empty())), prompter, true);
        assertEquals(ExitCodes.OK, r.code(), r.events().all().toString());
        assertTrue(Files.exists(marker), "the confirmed remedy ran");
        assertEquals(List.of(), asked, "a pre-answered question is not asked");
        assertEquals("skipped", r.outcome("escalate"));
        assertTrue(r.journal().contains("step 'restart-gateway' confirmed with --confirm restart-gateway by alice"), r.journal());
        assertTrue(r.journal().contains("\"confirms\":[\"restart-gateway\"]"), "the run header keeps the pre-answers for resume");
    }

    @Test
    void anOperatorAtTheTerminalIsAskedAndOnlyAYesRunsTheRemedy() throws Exception {
        List<String> asked = new ArrayList<>();
        Run no = run(RunRequest.of(runbook), q -> {
            asked.add(q);
            return false;
        }, true);
        assertEquals(List.of("host localhost: restart the gateway on localhost?"), asked);
        assertFalse(Files.exists(marker));
        assertTrue(no.notices().stream().anyMatch(n -> n.contains("step 'restart-gateway' declined by alice")), no.notices().toString());

        Run yes = run(RunRequest.of(runbook), q -> true, true);
        assertEquals(ExitCodes.OK, yes.code());
        assertTrue(Files.exists(marker));
        assertTrue(yes.notices().stream().anyMatch(n -> n.contains("step 'restart-gateway' confirmed by alice: restart the gateway on localhost?")),
                yes.notices().toString());
    }
}
