package dev.opsctl.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.StepResult;
import dev.opsctl.checklist.Checklist;
import dev.opsctl.checklist.TestActions;
import dev.opsctl.checklist.load.ChecklistLoader;
import dev.opsctl.checklist.run.Answer;
import dev.opsctl.checklist.run.ChecklistResult;
import dev.opsctl.checklist.run.ChecklistRun;
import dev.opsctl.checklist.run.ChecklistRunner;
import dev.opsctl.checklist.run.PresetAnswers;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChecklistTableTest {
    @Test
    void aProbesOutputAndANoteAreShownNotSentToTheTerminal() throws Exception {
        Checklist c = new ChecklistLoader(TestActions.registry()).load("checklists/t.yaml", """
                apiVersion: opsctl/v1
                kind: Checklist
                metadata: {name: t}
                items:
                  - id: health
                    text: "the service answers"
                    probe: {shell: "curl -fsS http://127.0.0.1:8080/health"}
                    expect: 'stdout contains "ok"'
                  - {id: noted, text: "noted"}
                """, Path.of(".")).checklist().orElseThrow();
        ChecklistRunner runner = new ChecklistRunner(
                (probe, host, vars) -> new StepResult(StepResult.Outcome.OK, 0, "\u001b]52;c;cm0gLXJmIH4=\u0007 ok", "", "", Map.of(),
                        Duration.ZERO),
                new PresetAnswers(Map.of("noted", Answer.confirm("pasted \u001b[2J from a host"))),
                Clock.fixed(Instant.parse("2026-11-24T02:00:00Z"), ZoneOffset.UTC), d -> { });
        ChecklistResult r = runner.run(c, new ChecklistRun(List.of(), Map.of(), Map.of(), "alice"));
        String table = ChecklistTable.render(r);
        assertFalse(table.contains("\u001b") || table.contains("\u0007"), table);
        assertTrue(table.contains("\\x1b]52;c;cm0gLXJmIH4=\\x07 ok"), table);
        assertTrue(table.contains("note: pasted \\x1b[2J from a host"), table);
    }
}
