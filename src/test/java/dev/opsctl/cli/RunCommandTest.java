package dev.opsctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** run, plan and runs, end to end on this machine through Main.run, with a private state directory. */
class RunCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "s3cr3t-value";
    private static final String RUNBOOK = """
            apiVersion: opsctl/v1
            kind: Runbook
            metadata:
              name: hello
              description: Say hello, then maybe fail
            params:
              greeting: {type: string, default: hi}
              token: {type: secret, default: %s}
              fail: {type: bool, default: false}
            steps:
              - id: greet
                shell: echo {{ greeting }}
              - id: check
                shell: |
                  if {{ fail }}; then echo "broken with {{ token }}" >&2; exit 3; fi
            """.formatted(SECRET);

    @TempDir
    Path tmp;

    Map<String, String> env;

    @BeforeEach
    void writeRunbook() throws IOException {
        Files.createDirectories(tmp.resolve("runbooks"));
        Files.writeString(tmp.resolve("runbooks/hello.yaml"), RUNBOOK);
        env = Map.of("USER", "alice", "NO_COLOR", "1", "TERM", "xterm");
    }

    private CliResult opsctl(String... args) {
        CliResult r = CliResult.run(env, tmp, args);
        assertFalse(r.out().contains(SECRET) || r.err().contains(SECRET), "a secret reached the output\n" + r.dump());
        return r;
    }

    @Test
    void aSuccessfulRunExitsZeroWithStepLinesOnStderrAndTheSummaryOnStdout() {
        CliResult r = opsctl("run", "runbooks/hello.yaml", "--yes", "--state-dir", "state");
        assertEquals(0, r.code(), r.dump());
        assertTrue(r.err().matches("(?s).*\\[\\d\\d:\\d\\d:\\d\\d\\] host localhost: step 'greet' (ok|changed) \\(\\d+\\.\\ds\\).*"), r.dump());
        assertTrue(r.out().matches("(?s)run \\S+ ok after .*\n  hosts: 1 ok, 0 failed, 0 unreachable\n  exit 0: done\n"), r.dump());
        assertFalse(r.err().contains("\u001b") || r.out().contains("\u001b"), r.dump());
    }

    @Test
    void aFailedStepPrintsWhatWhyAndFixAndExitsOne() {
        CliResult r = opsctl("run", "runbooks/hello.yaml", "--yes", "--state-dir", "state", "-e", "fail=true");
        assertEquals(1, r.code(), r.dump());
        assertTrue(r.err().contains("host localhost: step 'check' failed: exit 3"), r.dump());
        assertTrue(r.err().contains("  why: broken with ********\n"), r.dump());
        assertTrue(r.err().matches("(?s).*  fix: see 'opsctl runs show (\\S+) --step check' for full output; "
                + "rerun with 'opsctl runs resume \\1'\n.*"), r.dump());
        assertTrue(r.out().contains("  exit 1: a step failed and the run halted\n"), r.dump());
    }

    @Test
    void withoutATerminalARunNeedsYes() {
        CliResult r = opsctl("run", "runbooks/hello.yaml", "--state-dir", "state");
        assertEquals(2, r.code(), r.dump());
        assertTrue(r.err().contains("hint: add --yes to start it, or --dry-run"), r.dump());
    }

    @Test
    void jsonOutputIsOneEventPerLineFromRunStartedToRunFinished() throws Exception {
        CliResult r = opsctl("run", "runbooks/hello.yaml", "--yes", "--state-dir", "state", "-o", "json");
        assertEquals(0, r.code(), r.dump());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.size() >= 6, r.dump());
        for (String line : lines) {
            JsonNode n = JSON.readTree(line);
            assertTrue(n.isObject() && n.hasNonNull("type") && n.hasNonNull("runId"), line);
        }
        assertEquals("run-started", JSON.readTree(lines.get(0)).get("type").asText());
        JsonNode last = JSON.readTree(lines.get(lines.size() - 1));
        assertEquals("run-finished", last.get("type").asText());
        assertEquals(0, last.get("exitCode").asInt());
        assertEquals("********", JSON.readTree(lines.get(0)).get("params").get("token").asText());
    }

    @Test
    void planShowsBatchesStepsAndAnEstimateAndRunsNothing() throws Exception {
        CliResult r = opsctl("plan", "runbooks/hello.yaml", "--state-dir", "state");
        assertEquals(0, r.code(), r.dump());
        assertTrue(r.out().startsWith("plan: runbook 'hello' on 1 host in 1 batch\n  batch 1: localhost"), r.dump());
        assertTrue(r.out().matches("(?s).*\n   1\\. greet\\s+shell .*\n   2\\. check\\s+shell .*"), r.dump());
        assertTrue(r.out().contains("\nestimate: ~"), r.dump());
        assertFalse(Files.exists(tmp.resolve("state/runs")), "plan must not start a run");
        JsonNode json = JSON.readTree(opsctl("plan", "runbooks/hello.yaml", "-o", "json").out());
        assertEquals("plan", json.get("type").asText());
        assertEquals(2, json.get("steps").size());
    }

    @Test
    void runTakesTheSshOptionsOfExecAndRefusesAnUnreadableSshConfig() throws IOException {
        Files.createDirectories(tmp.resolve("not-a-file"));
        Files.writeString(tmp.resolve("ssh_config"), "Host *\n  ConnectTimeout 3\n");
        CliResult ok = opsctl("run", "runbooks/hello.yaml", "--yes", "--state-dir", "state", "--ssh-config", "ssh_config",
                "--known-hosts", "kh", "--identity", "id_ed25519", "--no-agent", "--accept-new-host-keys", "--connect-timeout", "5s");
        assertEquals(0, ok.code(), ok.dump());

        CliResult badTimeout = opsctl("rollout", "hello", "--yes", "--state-dir", "state", "--connect-timeout", "soon");
        assertEquals(2, badTimeout.code(), badTimeout.dump());
        assertTrue(badTimeout.err().contains("'soon' is not a duration"), badTimeout.dump());

        CliResult badConfig = opsctl("run", "runbooks/hello.yaml", "--yes", "--state-dir", "state", "--ssh-config", "not-a-file");
        assertEquals(2, badConfig.code(), badConfig.dump());
        assertTrue(badConfig.err().contains("cannot read the ssh config: '" + tmp.resolve("not-a-file") + "': "), badConfig.dump());

        CliResult missing = opsctl("run", "runbooks/hello.yaml", "--yes", "--state-dir", "state", "--ssh-config", "no/such/config");
        assertEquals(2, missing.code(), missing.dump());
        assertTrue(missing.err().contains("cannot read the ssh config: '" + tmp.resolve("no/such/config") + "' does not exist"),
                missing.dump());
    }

    @Test
    void anUnknownParamIsAUsageErrorWithADidYouMean() {
        CliResult r = opsctl("run", "runbooks/hello.yaml", "--yes", "--state-dir", "state", "-e", "greetin=yo");
        assertEquals(2, r.code(), r.dump());
        assertTrue(r.err().contains("greetin"), r.dump());
        assertTrue(r.err().contains("greeting"), r.dump());
    }

    @Test
    void rolloutFindsTheRunbookByNameInTheWorkingDirectory() {
        CliResult r = opsctl("rollout", "hello", "--yes", "--state-dir", "state");
        assertEquals(0, r.code(), r.dump());
    }

    @Test
    void runsListShowAndShowStepReadTheJournal() throws Exception {
        CliResult run = opsctl("run", "runbooks/hello.yaml", "--yes", "--state-dir", "state", "-e", "fail=true", "-o", "json");
        assertEquals(1, run.code(), run.dump());
        String id = JSON.readTree(run.out().lines().findFirst().orElseThrow()).get("runId").asText();

        CliResult list = opsctl("runs", "list", "--state-dir", "state");
        assertEquals(0, list.code(), list.dump());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith(id) && l.contains("hello") && l.contains("failed")
                && l.contains("alice")), list.dump());

        CliResult show = opsctl("runs", "show", id, "--state-dir", "state");
        assertEquals(0, show.code(), show.dump());
        assertTrue(show.out().startsWith("run " + id + ": failed (exit 1)\n"), show.dump());
        assertTrue(show.out().matches("(?s).*\n  check\\s+failed\\s+rc=3 .*"), show.dump());

        CliResult step = opsctl("runs", "show", id, "--step", "check", "--state-dir", "state");
        assertEquals(0, step.code(), step.dump());
        assertTrue(step.out().contains("  stderr:\n    broken with ********\n"), step.dump());

        CliResult missing = opsctl("runs", "show", "no-such-run", "--state-dir", "state");
        assertTrue(missing.code() != 0 && missing.err().contains("no-such-run"), missing.dump());
    }

    @Test
    void resumeAndRollbackCheckTheRunBeforeAskingForASudoPassword() throws Exception {
        // from elsewhere, as in the test below: resume and rollback load the runbook by its journaled path.
        // With no terminal -K is refused, so reaching that refusal means opsctl would have prompted.
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        String state = tmp.resolve("state").toString();
        String runbook = tmp.resolve("runbooks/hello.yaml").toString();
        java.util.function.Function<String[], CliResult> there = args -> CliResult.run(env, elsewhere, args);

        CliResult unknown = there.apply(new String[] {"runs", "resume", "no-such-run", "-K", "--state-dir", state});
        assertEquals(2, unknown.code(), unknown.dump());
        assertTrue(unknown.err().contains("no-such-run") && !unknown.err().contains("terminal"), unknown.dump());

        CliResult ok = there.apply(new String[] {"run", runbook, "--yes", "--state-dir", state, "-o", "json"});
        String okId = JSON.readTree(ok.out().lines().findFirst().orElseThrow()).get("runId").asText();
        CliResult finished = there.apply(new String[] {"runs", "resume", okId, "-K", "--state-dir", state});
        assertEquals(0, finished.code(), finished.dump());
        assertTrue(finished.err().contains("nothing to resume"), finished.dump());
        CliResult named = there.apply(new String[] {"runs", "rollback", okId, "--host", "localhost", "-K", "--state-dir", state});
        assertTrue(named.err().contains("needs a terminal"), "a named host is work to do\n" + named.dump());
        CliResult notInRun = there.apply(new String[] {"runs", "rollback", okId, "--host", "web9", "-K", "--state-dir", state});
        assertEquals(2, notInRun.code(), notInRun.dump());
        assertTrue(notInRun.err().contains("host 'web9' is not part of run") && !notInRun.err().contains("terminal"), notInRun.dump());
        CliResult twoWays = there.apply(new String[] {"runs", "resume", okId, "-K", "--sudo-password-env", "PW", "--state-dir", state});
        assertEquals(2, twoWays.code(), "options are checked whatever the run\n" + twoWays.dump());
        assertTrue(twoWays.err().contains("give the sudo password one way"), twoWays.dump());

        CliResult failed = there.apply(new String[] {"run", runbook, "--yes", "--state-dir", state, "-e", "fail=true", "-o", "json"});
        String failedId = JSON.readTree(failed.out().lines().findFirst().orElseThrow()).get("runId").asText();
        CliResult asks = there.apply(new String[] {"runs", "resume", failedId, "-K", "--state-dir", state});
        assertEquals(2, asks.code(), asks.dump());
        assertTrue(asks.err().contains("--ask-sudo-password needs a terminal"), asks.dump());

        Files.writeString(Path.of(runbook), RUNBOOK.replace("Say hello", "Say hi"));
        CliResult changed = there.apply(new String[] {"runs", "resume", failedId, "-K", "--state-dir", state});
        assertTrue(changed.err().contains("changed since run " + failedId) && !changed.err().contains("terminal"), changed.dump());
        CliResult forced = there.apply(new String[] {"runs", "resume", failedId, "-K", "--force", "--state-dir", state});
        assertTrue(forced.err().contains("--ask-sudo-password needs a terminal"), forced.dump());
    }

    @Test
    void aRollbackStepSkippedByItsWhenStillRegistersTheFieldsEveryResultHas() throws Exception {
        // the loader lets the second rollback step read probe.rc and probe.outcome unguarded: this is the run that says it may
        Files.writeString(tmp.resolve("runbooks/undo.yaml"), """
                apiVersion: opsctl/v1
                kind: Runbook
                metadata: {name: undo}
                steps:
                  - id: change
                    shell: "false"
                rollback:
                  - id: probe
                    when: "run.id == 'never'"
                    shell: echo probed
                    register: probe
                  - id: say
                    shell: "echo {{ probe.rc }}-{{ probe.outcome }}-{{ probe.stdout }}. > %s"
                """.formatted(tmp.resolve("undone.txt")));
        // from a directory the runbook is not under: the journal names it by its absolute path (under the working
        // directory it is named relative to it, resolved later against the JVM's, which is not this test's)
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        String state = tmp.resolve("state").toString();
        CliResult run = CliResult.run(env, elsewhere, "run", tmp.resolve("runbooks/undo.yaml").toString(), "--yes", "--state-dir", state, "-o", "json");
        assertEquals(1, run.code(), run.dump());
        String id = JSON.readTree(run.out().lines().findFirst().orElseThrow()).get("runId").asText();

        CliResult rollback = CliResult.run(env, elsewhere, "runs", "rollback", id, "--host", "localhost", "--state-dir", state);
        assertEquals(3, rollback.code(), rollback.dump());
        assertEquals("0-skipped-.", Files.readString(tmp.resolve("undone.txt")).strip(), rollback.dump());
        assertTrue(rollback.out().startsWith("run " + id + " rolled_back after "), rollback.dump());
        assertTrue(rollback.out().contains("host 'localhost': rolled back (2 steps)\n"), "no failure budget in an operator's rollback: " + rollback.dump());
        assertTrue(rollback.out().contains("exit 3: a host was rolled back (a trigger fired, or 'opsctl runs rollback') and the rollback succeeded"),
                rollback.dump());
    }

    @Test
    void execShowsTheHostsWordsInItsOwnFailureLineNotSendsThem() throws Exception {
        Files.writeString(tmp.resolve("local.yaml"), "apiVersion: opsctl/v1\nkind: Inventory\nhosts:\n  here: {connection: local}\n");
        CliResult r = opsctl("exec", "-i", "local.yaml", "--", "printf 'bad \\033]52;c;AAAA\\007\\n' >&2; exit 3");
        assertEquals(1, r.code(), r.dump());
        String line = r.out().lines().filter(l -> l.startsWith("  exit 3")).findFirst().orElseThrow(() -> new AssertionError(r.dump()));
        assertEquals("  exit 3: bad \\x1b]52;c;AAAA\\x07", line, r.dump());
        assertTrue(r.out().contains("bad \u001b]52;c;AAAA\u0007\n"), "the output itself is data, as the host wrote it: " + r.dump());
    }

    @Test
    void execSaysWhenAHostsOutputWasCut() throws Exception {
        Files.writeString(tmp.resolve("local.yaml"), "apiVersion: opsctl/v1\nkind: Inventory\nhosts:\n  here: {connection: local}\n");
        String big = "head -c 17000000 /dev/zero | tr '\\0' a; echo; echo TAIL-LINE";
        CliResult text = opsctl("exec", "-i", "local.yaml", "--", big);
        assertEquals(0, text.code(), text.err());
        assertFalse(text.out().contains("TAIL-LINE"), "the end is past what is kept");
        assertTrue(text.out().contains("  (output cut: the command wrote more than the 16 MiB of a stream opsctl keeps per host; what is shown is its beginning)"),
                text.err());
        CliResult json = opsctl("exec", "-i", "local.yaml", "-o", "json", "--", big);
        assertTrue(JSON.readTree(json.out().lines().findFirst().orElseThrow()).get("truncated").asBoolean(), json.err());
        CliResult small = opsctl("exec", "-i", "local.yaml", "-o", "json", "--", "echo hi");
        assertFalse(JSON.readTree(small.out().lines().findFirst().orElseThrow()).get("truncated").asBoolean(), small.dump());
    }

    @Test
    void execGroupsEachHostsStdoutThenItsStderrUnderAHeaderOfItsOwn() throws Exception {
        Files.writeString(tmp.resolve("local.yaml"), "apiVersion: opsctl/v1\nkind: Inventory\nhosts:\n  here: {connection: local}\n");
        CliResult r = opsctl("exec", "-i", "local.yaml", "--", "echo err-first >&2; echo out; echo err-last >&2");
        assertEquals(0, r.code(), r.dump());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("here | OK | rc=0 | ") && lines.get(0).endsWith(" >>"), r.dump());
        assertEquals(List.of("out", "here | stderr >>", "err-first", "err-last"), lines.subList(1, 5), r.dump());
        CliResult quiet = opsctl("exec", "-i", "local.yaml", "--", "echo only-out");
        assertFalse(quiet.out().contains("stderr >>"), "no stderr header without stderr: " + quiet.dump());
    }

    @Test
    void execSaysHowMuchOfAStreamItKeptInBinaryUnits() {
        assertEquals("16 MiB", ExecOutput.size(16 << 20));
        assertEquals("3.8 MiB", ExecOutput.size(4026531));
        assertEquals("64 KiB", ExecOutput.size(64 * 1024));
    }

    @Test
    void execsFailureLineIsTheCommandsLastWordsEvenPastWhatWasKept() throws Exception {
        Files.writeString(tmp.resolve("local.yaml"), "apiVersion: opsctl/v1\nkind: Inventory\nhosts:\n  here: {connection: local}\n");
        // --stream keeps 64 KiB: 3,000 lines of stderr are past it, the last one is what failed
        String noisy = "i=0; while [ $i -lt 3000 ]; do echo \"building module $i: compiling sources and linking\" >&2; i=$((i+1)); done; "
                + "echo 'error: disk full while writing /var/lib/app/data' >&2; exit 2";
        CliResult r = opsctl("exec", "-i", "local.yaml", "--stream", "--", noisy);
        assertEquals(1, r.code(), r.err());
        assertTrue(r.out().contains("  exit 2: error: disk full while writing /var/lib/app/data\n"), r.out().substring(r.out().length() - 300));
    }
}
