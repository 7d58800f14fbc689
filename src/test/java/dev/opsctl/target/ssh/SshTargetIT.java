package dev.opsctl.target.ssh;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.source.Secret;
import dev.opsctl.target.EnvOnStdinTest;
import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.FileAttrs;
import dev.opsctl.target.FileInfo;
import dev.opsctl.target.OutputListener;
import dev.opsctl.target.Sudo;
import dev.opsctl.target.TargetException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SshTargetIT {
    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.2");

    @Test
    void runsACommandThroughTheLoginShellWithExitCodeAndBothStreams() throws Exception {
        try (SshTarget t = SSHD.target()) {
            ExecResult r = t.exec(ExecRequest.of("echo out; echo err >&2; whoami | tr a-z A-Z; exit 3"));
            assertEquals(3, r.exitCode());
            assertEquals("out\nOPSCTL-TEST\n", r.stdout());
            assertEquals("err\n", r.stderr());
            assertFalse(r.ok());
        }
    }

    @Test
    void feedsStdinThenEndOfFile() throws Exception {
        try (SshTarget t = SSHD.target()) {
            ExecResult r = t.exec(ExecRequest.of("wc -c; cat >/dev/null").withStdin("hello\nworld\n".getBytes(UTF_8)));
            assertEquals(0, r.exitCode(), r.stderr());
            assertEquals("12", r.stdout().strip());
        }
    }

    @Test
    void capturesTenMebibytesOfOutputWhileStreamingLines() throws Exception {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        try (SshTarget t = SSHD.target()) {
            ExecResult r = t.exec(ExecRequest.of("head -c 10485760 /dev/zero | tr '\\0' 'x' | fold -w 1023; echo done >&2")
                    .withListener((s, l) -> {
                        if (s == OutputListener.Stream.STDERR) {
                            lines.add(l);
                        }
                    }));
            assertEquals(0, r.exitCode());
            assertEquals(10485760, r.stdout().chars().filter(c -> c == 'x').count());
            assertFalse(r.truncated());
            assertEquals(List.of("done"), lines);
        }
    }

    @Test
    void reportsAKillingSignalAs128PlusItsNumber() throws Exception {
        try (SshTarget t = SSHD.target()) {
            assertEquals(137, t.exec(ExecRequest.of("kill -9 $$")).exitCode());
        }
    }

    @Test
    void passesEnvironmentVariablesQuoted() throws Exception {
        try (SshTarget t = SSHD.target()) {
            ExecResult r = t.exec(ExecRequest.of("printf '%s' \"$GREETING\"").withEnv(java.util.Map.of("GREETING", "it's $HOME")));
            assertEquals("it's $HOME", r.stdout());
        }
    }

    @Test
    void timeoutEndsTheRemoteProcessAndItsChildren() throws Exception {
        try (SshTarget t = SSHD.target()) {
            String pidFile = "/tmp/opsctl-it-timeout-" + System.nanoTime();
            ExecResult r = t.exec(ExecRequest.of("sleep 300 & echo $! > " + pidFile + "; wait").withTimeout(Duration.ofMillis(700)));
            assertTrue(r.timedOut());
            assertEquals(-1, r.exitCode());
            assertTrue(r.elapsed().compareTo(Duration.ofSeconds(5)) < 0, "took " + r.elapsed());
            // a killed child may linger as a zombie when PID 1 of a container does not reap: that counts as gone
            ExecResult check = t.exec(ExecRequest.of("p=$(cat " + pidFile + "); rm -f " + pidFile
                    + "; sleep 0.2; s=$(ps -o stat= -p $p); case \"$s\" in ''|Z*) echo gone;; *) echo alive;; esac"));
            assertEquals("gone", check.stdout().strip());
        }
    }

    /**
     * sshd signals a session's processes as the login user, and not at all for a root login (no
     * privilege separation after it): a sudo or root command outlived its timeout until opsctl
     * stopped it from a second channel, with the same privileges, by the process group it reported.
     */
    @Test
    void timeoutEndsACommandRunUnderSudoOrAsRootAndItsChildren() throws Exception {
        record Case(String name, String user, Sudo sudo) {}
        for (Case c : List.of(new Case("sudo", OpenSshServer.USER, Sudo.ROOT),
                new Case("sudo with a password", OpenSshServer.PASSWORD_USER, Sudo.withPassword(new Secret(OpenSshServer.SUDO_PASSWORD))),
                new Case("root login", "root", Sudo.NONE))) {
            try (SshTarget t = new SshTarget(SSHD.settings(c.user()), SSHD.dir())) {
                String pidFile = "/tmp/opsctl-it-timeout-" + System.nanoTime();
                ExecResult r = t.exec(ExecRequest.of("trap '' TERM; sleep 300 & echo $! > " + pidFile + "; wait")
                        .withSudo(c.sudo()).withTimeout(Duration.ofMillis(700)));
                assertTrue(r.timedOut(), c.name());
                assertFalse(r.leftRunning(), c.name() + ": " + r.stderr());
                assertTrue(r.elapsed().compareTo(Duration.ofSeconds(8)) < 0, c.name() + " took " + r.elapsed());
                ExecResult check = t.exec(ExecRequest.of("p=$(cat " + pidFile + "); rm -f " + pidFile
                        + "; s=$(ps -o stat= -p $p); case \"$s\" in ''|Z*) echo gone;; *) echo alive;; esac").withSudo(c.sudo()));
                assertEquals("gone", check.stdout().strip(), c.name() + ": the command's child outlived its timeout");
                assertEquals("", r.stderr(), c.name() + ": opsctl's own marks stay out of the output");
            }
        }
    }

    @Test
    void reusesOneConnectionForManyCommandsAndConcurrentCalls() throws Exception {
        long before = SSHD.acceptedLogins();
        try (SshTarget t = SSHD.target()) {
            for (int i = 0; i < 5; i++) {
                assertEquals(String.valueOf(i), t.exec(ExecRequest.of("echo " + i)).stdout().strip());
            }
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<ExecResult>> results = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                String cmd = "echo " + i;
                results.add(pool.submit(() -> t.exec(ExecRequest.of(cmd))));
            }
            for (int i = 0; i < 32; i++) {
                assertEquals(String.valueOf(i), results.get(i).get().stdout().strip());
            }
            pool.shutdown();
        }
        assertEquals(before + 1, SSHD.acceptedLogins(), SSHD.log());
    }

    /**
     * What a clean-up after a broken write relies on (BestEffort tries twice): sshj can report a
     * connection alive for a moment after its sessions were killed, but a call that failed on it lets
     * it go, so the next call opens a new one.
     */
    @Test
    void atMostOneCallFailsAfterTheConnectionBroke() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (SshTarget t = SSHD.target()) {
            for (int i = 0; i < 25; i++) {
                CountDownLatch started = new CountDownLatch(1);
                Future<ExecResult> running = pool.submit(() -> t.exec(ExecRequest.of("echo started; sleep 30")
                        .withListener((stream, line) -> started.countDown())));
                assertTrue(started.await(30, TimeUnit.SECONDS));
                SSHD.dropSessions();
                try {
                    running.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    // lost, or ended without an exit status: either way the connection is gone
                }
                try {
                    t.exec(ExecRequest.of("true"));
                } catch (TargetException e) {
                    assertEquals(TargetException.Kind.CONNECTION_LOST, e.kind(), e.getMessage());
                }
                assertEquals("ok\n", t.exec(ExecRequest.of("echo ok")).stdout(), "round " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sudoWithoutPasswordRunsAsRoot() throws Exception {
        try (SshTarget t = SSHD.target()) {
            ExecResult r = t.exec(ExecRequest.of("id -u; echo \"$0\"").withSudo(Sudo.ROOT));
            assertEquals(0, r.exitCode(), r.stderr());
            assertTrue(r.stdout().startsWith("0\n"), r.stdout());
        }
    }

    @Test
    void sudoWithPasswordFeedsItOnStdinAndNeverOnTheCommandLine() throws Exception {
        try (SshTarget t = new SshTarget(SSHD.settings(OpenSshServer.PASSWORD_USER), SSHD.dir())) {
            Sudo sudo = Sudo.withPassword(new Secret(OpenSshServer.SUDO_PASSWORD));
            ExecResult r = t.exec(ExecRequest.of("id -u; ps -eo args; cat").withSudo(sudo).withStdin("input\n".getBytes(UTF_8)));
            assertEquals(0, r.exitCode(), r.stderr());
            assertTrue(r.stdout().startsWith("0\n"), r.stdout());
            assertTrue(r.stdout().endsWith("input\n"), r.stdout());
            assertFalse(r.stdout().contains(OpenSshServer.SUDO_PASSWORD), "password visible in ps");
            assertFalse(r.stderr().contains("opsctl-mark"), r.stderr());
        }
    }

    /**
     * With a sudo password the environment follows the password on stdin once the command started,
     * ahead of the input: every value whole, the input untouched, end of input without any, and no
     * value in any process's arguments on the host (sudo's, the shells').
     */
    @Test
    void withASudoPasswordTheEnvironmentFollowsOnStdinAndIsInNoProcessArguments() throws Exception {
        try (SshTarget t = new SshTarget(SSHD.settings(OpenSshServer.PASSWORD_USER), SSHD.dir())) {
            String secret = "s3cret-" + System.nanoTime();
            Map<String, String> env = new HashMap<>(EnvOnStdinTest.AWKWARD);
            env.put("OPSCTL_SECRET", secret);
            ExecRequest r = ExecRequest.of(EnvOnStdinTest.print(env) + "echo ---; cat; echo; echo ---; id -u;"
                    + " cat /proc/[0-9]*/cmdline 2>/dev/null | tr '\\0' ' '").withEnv(env)
                    .withSudo(Sudo.withPassword(new Secret(OpenSshServer.SUDO_PASSWORD))).withTimeout(Duration.ofSeconds(60));
            for (Optional<String> input : List.of(Optional.of("line one\n\nno newline"), Optional.<String>empty())) {
                ExecResult ran = input.isPresent() ? t.exec(r.withStdin(input.get().getBytes(UTF_8))) : t.exec(r);
                assertEquals(0, ran.exitCode(), ran.stderr());
                String expected = EnvOnStdinTest.printed(env) + "---\n" + input.orElse("") + "\n---\n0\n";
                assertTrue(ran.stdout().startsWith(expected), input + ": " + ran.stdout());
                String processes = ran.stdout().substring(expected.length());
                assertTrue(processes.contains("sudo -k -S -p"), "the process list was read: " + processes);
                assertFalse(processes.contains(secret), "the value is on a command line: " + processes);
                assertEquals("", ran.stderr());
            }
        }
    }

    /** The environment is input like any other: a wrong password never makes sudo take it for more attempts. */
    @Test
    void aWrongSudoPasswordNeverTakesTheEnvironmentForMoreAttempts() throws Exception {
        try (SshTarget t = new SshTarget(SSHD.settings(OpenSshServer.PASSWORD_USER), SSHD.dir())) {
            TargetException e = assertThrows(TargetException.class, () -> t.exec(ExecRequest.of("echo \"$OPSCTL_A\"")
                    .withEnv(Map.of("OPSCTL_A", "attempt-two\nattempt-three")).withSudo(Sudo.withPassword(new Secret("wrong")))
                    .withTimeout(Duration.ofSeconds(30))));
            assertTrue(e.notStarted(), e.getMessage());
            TargetException.OutputSoFar r = e.outputSoFar();
            assertFalse(r.stdout().contains("attempt"), r.stdout());
            assertFalse(r.stderr().contains("incorrect password attempts"), "sudo read the environment as attempts: " + r.stderr());
            assertTrue(r.stderr().contains("sudo did not accept the password"), r.stderr());
        }
    }

    @Test
    void wrongSudoPasswordFailsWithoutHanging() throws Exception {
        try (SshTarget t = new SshTarget(SSHD.settings(OpenSshServer.PASSWORD_USER), SSHD.dir())) {
            TargetException e = assertThrows(TargetException.class, () -> t.exec(ExecRequest.of("id -u")
                    .withSudo(Sudo.withPassword(new Secret("wrong"))).withTimeout(Duration.ofSeconds(30))));
            assertTrue(e.notStarted(), e.getMessage());
            assertTrue(e.getMessage().contains("did not accept the password"), e.getMessage());
            assertFalse(e.outputSoFar().stdout().contains("0"), e.outputSoFar().stdout());
        }
    }

    @Test
    void putIsAtomicWithModeAndGetReadsItBack() throws Exception {
        try (SshTarget t = SSHD.target()) {
            String dir = "/tmp/opsctl-it-put-" + System.nanoTime();
            t.exec(ExecRequest.of("mkdir -p " + dir));
            byte[] content = new byte[300_000];
            new java.util.Random(1).nextBytes(content);
            t.put(dir + "/blob", content, FileAttrs.mode(0640));
            assertArrayEquals(content, t.get(dir + "/blob", false));
            FileInfo info = t.stat(dir + "/blob", false).orElseThrow();
            assertEquals(0640, info.mode());
            assertEquals(300_000, info.size());
            t.put(dir + "/blob", "v2".getBytes(UTF_8), FileAttrs.DEFAULT);
            assertEquals("v2", new String(t.get(dir + "/blob", false), UTF_8));
            assertEquals(0640, t.stat(dir + "/blob", false).orElseThrow().mode(), "an existing file keeps its mode");
            assertEquals("blob", t.exec(ExecRequest.of("ls -A " + dir)).stdout().strip(), "no temporary files left");
            assertEquals(Optional.empty(), t.stat(dir + "/missing", false));
            TargetException e = assertThrows(TargetException.class, () -> t.get(dir + "/missing", false));
            assertEquals(TargetException.Kind.REMOTE_FAILED, e.kind());
            assertTrue(e.getMessage().contains("no such file"), e.getMessage());
        }
    }

    @Test
    void putWithSudoSetsOwnerAndModeInARootDirectory() throws Exception {
        try (SshTarget t = SSHD.target()) {
            String path = "/root/opsctl-it-" + System.nanoTime() + ".conf";
            FileAttrs attrs = new FileAttrs(Optional.of(0600), Optional.of("daemon"), Optional.of("daemon"), true);
            t.put(path, "secret=1\n".getBytes(UTF_8), attrs);
            assertEquals("600 daemon:daemon", t.exec(ExecRequest.of("stat -c '%a %U:%G' " + path).withSudo(Sudo.ROOT)).stdout().strip());
            assertEquals("secret=1\n", new String(t.get(path, true), UTF_8));
            assertEquals(0600, t.stat(path, true).orElseThrow().mode());
            assertEquals(Optional.empty(), t.stat(path + ".missing", true));
            t.exec(ExecRequest.of("rm -f " + path).withSudo(Sudo.ROOT));
            assertEquals("", t.exec(ExecRequest.of("ls /tmp | grep opsctl-upload || true")).stdout().strip());
        }
    }

    @Test
    void aWrongSudoPasswordIsOneAttemptAndTheInputIsNeverTakenForMore() throws Exception {
        try (SshTarget t = new SshTarget(SSHD.settings(OpenSshServer.PASSWORD_USER), SSHD.dir())) {
            byte[] input = "attempt-two\nattempt-three\n".getBytes(UTF_8);
            TargetException e = assertThrows(TargetException.class, () -> t.exec(ExecRequest.of("cat")
                    .withSudo(Sudo.withPassword(new Secret("wrong"))).withStdin(input).withTimeout(Duration.ofSeconds(30))));
            assertTrue(e.notStarted(), e.getMessage());
            TargetException.OutputSoFar r = e.outputSoFar();
            assertFalse(r.stdout().contains("attempt"), r.stdout());
            assertFalse(r.stderr().contains("incorrect password attempts"), "sudo read the input as attempts: " + r.stderr());
            assertTrue(r.stderr().contains("sudo did not accept the password"), r.stderr());
        }
    }

    @Test
    void aPasswordSudoDoesNotAskForCostsNoWaitAndNeverReachesTheInput() throws Exception {
        // the NOPASSWD login: sudo never prompts, the command announces its start, the input follows at once
        try (SshTarget t = SSHD.target()) {
            long start = System.nanoTime();
            ExecResult r = t.exec(ExecRequest.of("cat").withSudo(Sudo.withPassword(new Secret("unused-pw")))
                    .withStdin("only this\n".getBytes(UTF_8)));
            assertEquals(0, r.exitCode(), r.stderr());
            assertEquals("only this\n", r.stdout());
            assertEquals("", r.stderr());
            assertTrue(System.nanoTime() - start < 3_000_000_000L, "waited for a prompt that never came");
        }
    }

    @Test
    void fileOperationsGiveTheSudoPasswordAndLeaveNoUploadWhenSudoRefuses() throws Exception {
        try (SshTarget t = new SshTarget(SSHD.settings(OpenSshServer.PASSWORD_USER), SSHD.dir())) {
            String path = "/root/opsctl-it-pw-" + System.nanoTime() + ".conf";
            Sudo withPassword = Sudo.withPassword(new Secret(OpenSshServer.SUDO_PASSWORD));
            t.put(path, "a=1\n".getBytes(UTF_8), new FileAttrs(Optional.of(0600), Optional.empty(), Optional.empty(), withPassword));
            assertEquals("a=1\n", new String(t.get(path, withPassword), UTF_8));
            assertEquals(0600, t.stat(path, withPassword).orElseThrow().mode());

            TargetException refused = assertThrows(TargetException.class, () -> t.put(path, "b=2\n".getBytes(UTF_8),
                    new FileAttrs(Optional.empty(), Optional.empty(), Optional.empty(), Sudo.ROOT)));
            assertTrue(refused.getMessage().contains("sudo: a password is required"), refused.getMessage());
            assertEquals("", t.exec(ExecRequest.of("find /tmp -maxdepth 1 -name '.opsctl-upload*' -user " + OpenSshServer.PASSWORD_USER))
                    .stdout().strip(), "the upload that sudo never read is removed");
            assertEquals("a=1\n", new String(t.get(path, withPassword), UTF_8), "the file is unchanged");
            t.exec(ExecRequest.of("rm -f " + path).withSudo(withPassword));
        }
    }

    @Test
    void aPortWithNothingListeningIsUnreachableInUnderASecond() throws Exception {
        SshSettings s = SSHD.settings();
        SshSettings dead = new SshSettings("dead", s.hostName(), 1, s.user(), s.identityFiles(), false, Optional.empty(),
                List.of(), s.knownHostsFiles(), false, s.connectTimeout(), s.serverAliveInterval(), s.passphrases());
        long start = System.nanoTime();
        try (SshTarget t = new SshTarget(dead, SSHD.dir())) {
            TargetException e = assertThrows(TargetException.class, () -> t.exec(ExecRequest.of("true")));
            assertEquals(TargetException.Kind.UNREACHABLE, e.kind());
            assertTrue(e.getMessage().contains("connection refused by '127.0.1.2:1'"), e.getMessage());
        }
        assertTrue(System.nanoTime() - start < 1_000_000_000L);
    }
}
