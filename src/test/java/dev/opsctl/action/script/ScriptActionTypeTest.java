package dev.opsctl.action.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.FakeStepContext;
import dev.opsctl.action.ParseFixture;
import dev.opsctl.action.StepResult;
import dev.opsctl.target.local.LocalTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptActionTypeTest {
    @TempDir
    Path runbookDir;

    @TempDir
    Path work;

    private final ScriptActionType type = new ScriptActionType();
    private FakeStepContext ctx;
    private ParseFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(runbookDir.resolve("scripts"));
        Files.writeString(runbookDir.resolve("scripts/greet.sh"), """
                set -eu
                echo "args: $#"
                for a in "$@"; do echo "[$a]"; done
                echo "shell: ${BASH_VERSION:+bash}"
                pwd
                """);
        ctx = new FakeStepContext(new LocalTarget("web-1"), work);
        fx = new ParseFixture(runbookDir);
    }

    @Test
    void feedsTheScriptOnStdinWithEachArgumentAsOneWord() throws Exception {
        ctx.set("who", "two words; rm -rf /");
        ScriptSpec spec = fx.parseClean(type, """
                script:
                  path: scripts/greet.sh
                  args: ["{{ who }}", plain]
                  interpreter: /bin/bash
                  chdir: %s
                """.formatted(work));
        StepResult r = type.execute(spec, ctx);
        assertEquals(StepResult.Outcome.CHANGED, r.outcome(), r.message());
        assertEquals("args: 2\n[two words; rm -rf /]\n[plain]\nshell: bash\n" + work.toRealPath(), r.stdout());
    }

    @Test
    void aFailingScriptReportsItsExitCodeAndLastErrorLine() throws Exception {
        Files.writeString(runbookDir.resolve("scripts/fail.sh"), "echo 'disk full' >&2\nexit 4\n");
        StepResult r = type.execute(fx.parseClean(type, "script: {path: scripts/fail.sh}\n"), ctx);
        assertEquals(StepResult.Outcome.FAILED, r.outcome());
        assertEquals("exit 4 from 'script scripts/fail.sh'", r.message());
        assertEquals("disk full", r.data().get("why"));
    }

    @Test
    void anInterpreterThatIsNotAShellReadsTheScriptFromDash() throws Exception {
        // python and perl read a script named '-' from stdin; cat shows that form reaches the interpreter
        Files.writeString(runbookDir.resolve("scripts/cat.txt"), "payload\n");
        StepResult r = type.execute(fx.parseClean(type, "script: {path: scripts/cat.txt, interpreter: cat}\n"), ctx);
        assertEquals("payload", r.stdout());
    }

    @Test
    void aMissingScriptIsAParseErrorAtItsPath() {
        fx.parse(type, "script:\n  path: scripts/nope.sh\n");
        String out = fx.rendered();
        assertTrue(out.contains("step.yaml:2:9: error: script 'scripts/nope.sh' not found"), out);
        assertTrue(out.contains("relative to the runbook's directory"), out);
    }
}
