package dev.opsctl.action.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.FakeStepContext;
import dev.opsctl.action.ParseFixture;
import dev.opsctl.action.StepResult;
import dev.opsctl.target.local.LocalTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellActionTypeTest {
    @TempDir
    Path tmp;

    private final ShellActionType type = new ShellActionType();
    private FakeStepContext ctx;
    private ParseFixture fx;

    @BeforeEach
    void setUp() {
        ctx = new FakeStepContext(new LocalTarget("web-1"), tmp);
        fx = new ParseFixture(tmp);
    }

    private StepResult run(String yaml) throws Exception {
        return type.execute(fx.parseClean(type, yaml), ctx);
    }

    @Test
    void aStringIsTheCommand() {
        ShellSpec spec = fx.parseClean(type, "shell: systemctl restart docker\n");
        assertEquals("systemctl restart docker", spec.cmd());
        assertEquals(List.of(0), spec.expectRc());
    }

    @Test
    void reportsAMisspelledKeyWithItsPositionAndASuggestion() {
        fx.parse(type, "shell:\n  cmd: ls\n  chdr: /tmp\n");
        String out = fx.rendered();
        assertTrue(out.contains("step.yaml:3:3: error: unknown key 'chdr' in 'shell'"), out);
        assertTrue(out.contains("hint: did you mean 'chdir'?"), out);
    }

    @Test
    void reportsAMissingCommandAndBadExitCodes() {
        fx.parse(type, "shell:\n  expect_rc: [0, nope, 300]\n");
        String out = fx.rendered();
        assertTrue(out.contains("missing required key 'cmd' in 'shell'"), out);
        assertTrue(out.contains("step.yaml:2:18: error: 'expect_rc' in 'shell' must be exit codes from 0 to 255, not 'nope'"), out);
        assertTrue(out.contains("not '300'"), out);
    }

    /** The SSH target exports each name before the command: one it cannot export is refused before any host is reached. */
    @Test
    void reportsAnEnvNameThatShCannotExport() {
        fx.parse(type, "shell:\n  cmd: ls\n  env: {GOOD_1: a, BAD-NAME: b, 1ST: c, opsctl_v: d}\n");
        String out = fx.rendered();
        assertTrue(out.contains("step.yaml:3:20: error: 'BAD-NAME' in 'env' of 'shell' is not an environment variable name"), out);
        assertTrue(out.contains("'1ST' in 'env'"), out);
        assertTrue(out.contains("'opsctl_v' in 'env' of 'shell' is a name opsctl itself uses on the host"), out);
        assertEquals(3, out.lines().filter(l -> l.contains("error:")).count(), out);
    }

    @Test
    void aSuccessfulCommandReportsItsOutputAndExitCode() throws Exception {
        StepResult r = run("shell: printf 'one\\ntwo\\n'\n");
        assertEquals(StepResult.Outcome.CHANGED, r.outcome());
        assertEquals(0, r.rc());
        assertEquals("one\ntwo", r.stdout());
        assertEquals(List.of("one", "two"), r.data().get("stdout_lines"));
        assertEquals(0L, r.data().get("rc"));
        assertEquals(List.of("one", "two"), ctx.progress);
    }

    @Test
    void aFailingCommandSaysWhichExitCodeAndWhy() throws Exception {
        StepResult r = run("shell: \"echo starting; echo 'unit docker.service not found' >&2; exit 3\"\n");
        assertEquals(StepResult.Outcome.FAILED, r.outcome());
        assertEquals("exit 3 from 'echo starting; echo 'unit docker.service not found' >&2; exit 3'", r.message());
        assertEquals("unit docker.service not found", r.data().get("why"));
        assertEquals(3L, r.data().get("rc"));
    }

    @Test
    void expectRcAcceptsOtherExitCodes() throws Exception {
        StepResult r = run("shell: {cmd: 'exit 2', expect_rc: [0, 2]}\n");
        assertTrue(r.succeeded(), r.message());
    }

    @Test
    void substitutedValuesAreShellQuoted() throws Exception {
        ctx.set("name", "x; touch " + tmp.resolve("pwned"));
        StepResult r = run("shell: echo {{ name }}\n");
        assertEquals("x; touch " + tmp.resolve("pwned"), r.stdout());
        assertFalse(Files.exists(tmp.resolve("pwned")));
    }

    @Test
    void secretsNeverReachTheMessageOrTheOutput() throws Exception {
        ctx.withSecret("token", "s3cr3t-t0ken");
        StepResult r = run("shell: \"echo {{ token }}; echo {{ token }} >&2; exit 1\"\n");
        assertEquals(StepResult.Outcome.FAILED, r.outcome());
        assertFalse(r.message().contains("s3cr3t-t0ken"), r.message());
        assertFalse(r.stdout().contains("s3cr3t-t0ken"), r.stdout());
        assertFalse(r.data().toString().contains("s3cr3t-t0ken"), r.data().toString());
        assertTrue(r.stdout().contains("********"));
    }

    @Test
    void registeredOutputDropsTrailingNewlinesSoItCanBeUsedAsAWord() throws Exception {
        StepResult r = run("shell: printf 'a b\\n\\n'\n");
        assertEquals("a b", r.stdout());
        assertEquals("a b", r.fields().get("stdout"));
        assertEquals(List.of("a b"), r.data().get("stdout_lines"));
    }

    @Test
    void theStepTimeoutKillsTheCommand() throws Exception {
        ctx.withTimeout(Duration.ofMillis(500));
        StepResult r = run("shell: sleep 30\n");
        assertEquals(StepResult.Outcome.TIMED_OUT, r.outcome());
        assertTrue(r.message().startsWith("timed out after"), r.message());
        assertTrue(r.elapsed().compareTo(Duration.ofSeconds(10)) < 0);
    }

    @Test
    void createsSkipsWhenThePathExists() throws Exception {
        Files.writeString(tmp.resolve("done"), "");
        StepResult r = run("shell: {cmd: 'touch " + tmp.resolve("ran") + "', creates: " + tmp.resolve("done") + "}\n");
        assertEquals(StepResult.Outcome.SKIPPED, r.outcome());
        assertFalse(Files.exists(tmp.resolve("ran")));
    }

    @Test
    void removesSkipsWhenThePathIsMissing() throws Exception {
        StepResult r = run("shell: {cmd: 'true', removes: " + tmp.resolve("nothing") + "}\n");
        assertEquals(StepResult.Outcome.SKIPPED, r.outcome());
        assertTrue(r.message().contains("does not exist"), r.message());
    }

    @Test
    void runsInChdirWithEnvAndStdin() throws Exception {
        ctx.set("greeting", "hello there");
        StepResult r = run("""
                shell:
                  cmd: |
                    pwd
                    echo "$GREETING"
                    cat
                  chdir: %s
                  env: {GREETING: "{{ greeting }}"}
                  stdin: "from stdin"
                """.formatted(tmp));
        assertEquals(tmp.toRealPath() + "\nhello there\nfrom stdin", r.stdout());
    }

    @Test
    void aMissingChdirFailsInsteadOfRunningElsewhere() throws Exception {
        StepResult r = run("shell: {cmd: 'touch " + tmp.resolve("ran") + "', chdir: /no/such/dir}\n");
        assertEquals(StepResult.Outcome.FAILED, r.outcome());
        assertFalse(Files.exists(tmp.resolve("ran")));
    }

    @Test
    void anUndefinedVariableFailsBeforeAnythingRuns() throws Exception {
        StepResult r = run("shell: echo {{ nope }}\n");
        assertEquals(StepResult.Outcome.FAILED, r.outcome());
        assertTrue(r.message().startsWith("cannot render the command"), r.message());
    }

    @Test
    void summaryShowsTheFirstLineOfAScript() {
        assertEquals("set -eu ...", type.summary(ShellSpec.of("set -eu\nrm -rf /tmp/x\n")));
    }

    /** Exported, it made every program fail with 'Argument list too long' over SSH; locally sh could not start ('unreachable'). */
    @Test
    void anEnvValueTooLongForLinuxFailsTheStepBeforeAnythingRuns() throws Exception {
        Path ran = tmp.resolve("ran");
        StepResult r = run("shell:\n  cmd: touch " + ran + "\n  env: {BIG: \"" + "x".repeat(140_000) + "\"}\n");
        assertEquals(StepResult.Outcome.FAILED, r.outcome(), r.message());
        assertTrue(r.message().startsWith("cannot pass the environment: the value of environment variable 'BIG' is 140005 bytes"),
                r.message());
        assertFalse(java.nio.file.Files.exists(ran), "nothing ran");
    }
}
