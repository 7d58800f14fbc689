package dev.opsctl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.ActionRegistry;
import dev.opsctl.checklist.Checklist;
import dev.opsctl.checklist.load.ChecklistLoader;
import dev.opsctl.checklist.run.ChecklistPrompter;
import dev.opsctl.checklist.run.ChecklistResult;
import dev.opsctl.checklist.run.ChecklistRun;
import dev.opsctl.checklist.run.ChecklistRunner;
import dev.opsctl.checklist.run.ItemStatus;
import dev.opsctl.checklist.run.Sleeper;
import dev.opsctl.source.Secret;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Real shell probes through the real step types and the local target. */
class TargetProbeRunnerTest {
    @Test
    void shellProbesRunOnThisMachineWithParamsQuotedAndSecretsMasked() throws Exception {
        Checklist c = new ChecklistLoader(ActionRegistry.standard()).load("checklists/t.yaml", """
                apiVersion: opsctl/v1
                kind: Checklist
                metadata: {name: t}
                params:
                  word: "name=userns; rm -rf /tmp/nothing"
                  token: {type: secret}
                scope: host
                items:
                  - {id: echo, text: "echo", probe: {shell: "echo {{ word }} {{ host.name }}"}, expect: 'stdout contains "name=userns; rm"'}
                  - {id: leak, text: "leak", on: controller, probe: {shell: "echo {{ token }}; exit 3"}}
                  - {id: remote, text: "remote", probe: {shell: "true"}}
                """, Path.of(".")).checklist().orElseThrow();
        Clock clock = Clock.systemUTC();
        ChecklistRunner runner = new ChecklistRunner(new TargetProbeRunner(clock, Sleeper.REAL), ChecklistPrompter.NONE, clock, Sleeper.REAL);
        ChecklistResult r = runner.run(c, new ChecklistRun(List.of("localhost", "web9"), Map.of("word", "name=userns; rm -rf /tmp/nothing",
                "token", new Secret("tok-123456")), Map.of(), "alice"));
        assertEquals(ItemStatus.PASSED, r.find("echo@localhost").orElseThrow().status(), () -> r.items().toString());
        assertTrue(r.find("echo@localhost").orElseThrow().evidence().get(0).fields().get("stdout").contains("localhost"));
        assertEquals(ItemStatus.FAILED, r.find("leak").orElseThrow().status());
        assertFalse(r.toString().contains("tok-123456"), r.toString());
        assertEquals("unreachable", r.find("remote@web9").orElseThrow().evidence().get(0).outcome());
    }
}
