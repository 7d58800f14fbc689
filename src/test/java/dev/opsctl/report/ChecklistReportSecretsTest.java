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
import dev.opsctl.source.Secret;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChecklistReportSecretsTest {
    private static final String SECRET = "pa55-w0rd-for-grafana";

    @Test
    void aSecretParamNeverAppearsInTheMarkdownReportTableOrJson() throws Exception {
        Checklist c = new ChecklistLoader(TestActions.registry()).load("checklists/t.yaml", """
                apiVersion: opsctl/v1
                kind: Checklist
                metadata: {name: t, title: "uses {{ grafana_password }} in a title"}
                params:
                  grafana_password: {type: secret, default: "changeme-default"}
                items:
                  - id: grafana
                    text: "login with {{ grafana_password }} works"
                    probe: {shell: "curl -u admin:{{ grafana_password }} http://127.0.0.1:3000/api/health"}
                    expect: 'stdout contains "ok"'
                  - {id: noted, text: "noted"}
                """, Path.of(".")).checklist().orElseThrow();
        ChecklistRunner runner = new ChecklistRunner(
                (probe, host, vars) -> new StepResult(StepResult.Outcome.FAILED, 22, "login failed for admin:" + SECRET,
                        "curl: (22) 'admin:" + SECRET + "'", "exit 22 from curl -u admin:" + SECRET, Map.of(), Duration.ZERO),
                new PresetAnswers(Map.of("noted", Answer.confirm("password " + SECRET + " rotated"))),
                Clock.fixed(Instant.parse("2026-11-22T02:00:00Z"), ZoneOffset.UTC), d -> { });
        ChecklistResult r = runner.run(c, new ChecklistRun(List.of(), Map.of("grafana_password", new Secret(SECRET)), Map.of(), "alice"));
        for (String out : List.of(ChecklistMarkdown.render(r, ZoneOffset.UTC), ChecklistTable.render(r), ChecklistJson.render(r))) {
            assertFalse(out.contains(SECRET), out);
            assertFalse(out.contains("pa55-w0rd"), out);
            assertTrue(out.contains("********"), out);
        }
    }
}
