package dev.opsctl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.fakes.RecordingSink;
import dev.opsctl.engine.journal.RunState;
import dev.opsctl.event.RunEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standard wiring end to end: a real runbook file, the loader, the local target, the journal. */
class LocalRunTest {
    @TempDir
    Path tmp;

    @Test
    void aLocalRunbookRunsRegistersAndJournalsWithoutItsSecret() throws Exception {
        Path rb = Files.writeString(tmp.resolve("hello.yaml"), """
                apiVersion: opsctl/v1
                kind: Runbook
                metadata: {name: hello}
                params:
                  who: {type: string, default: world}
                  token: {type: secret}
                steps:
                  - id: greet
                    shell: "echo hello {{ who }} {{ token }}"
                    register: greeting
                  - id: echo-back
                    shell: "echo got {{ greeting.stdout }}"
                """);
        Env env = Env.from(Map.of("USER", "alice", "HOME", tmp.toString()), Optional.of(tmp.resolve("state")), Optional.empty(),
                false, Clock.systemUTC());
        RecordingSink events = new RecordingSink();
        int code = Services.standard(env, Prompter.NON_INTERACTIVE).runs()
                .run(RunRequest.of(rb).withExtraVars(List.of("who=ops team", "token=t0psecret")), events);
        assertEquals(ExitCodes.OK, code, events.all().toString());
        RunEvent.StepFinished last = events.finished("localhost", "echo-back").get(0);
        assertEquals("got hello ops team ********", last.result().get("stdout").toString().strip());
        List<dev.opsctl.app.RunSummary> runs = Services.standard(env, Prompter.NON_INTERACTIVE).history().list();
        RunState st = Services.standard(env, Prompter.NON_INTERACTIVE).history().show(runs.get(0).runId());
        assertEquals("ok", st.status().orElseThrow());
        String journal = Files.readString(tmp.resolve("state/runs").resolve(runs.get(0).runId()).resolve("journal.jsonl"));
        assertFalse(journal.contains("t0psecret"));
        assertTrue(journal.contains("hello ops team ********"));
    }
}
