package dev.opsctl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.fakes.RecordingSink;
import dev.opsctl.event.EventSink;
import dev.opsctl.event.RunEvent;
import dev.opsctl.target.ssh.OpenSshServer;
import dev.opsctl.target.ssh.SshConfig;
import dev.opsctl.target.ssh.SshOptions;
import dev.opsctl.testsupport.TestDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connection that breaks under a running step, against real sshd: the command runs on without it,
 * so opsctl must neither run it again (retries, resume) nor act beside it; and a {@code wait} outlasts
 * an sshd that restarts, and a step an sshd restart breaks reconnects to the new sshd.
 */
class LostConnectionIT {
    @RegisterExtension
    static final OpenSshServer WEB1 = new OpenSshServer("127.0.1.90");

    @RegisterExtension
    static final OpenSshServer WEB2 = new OpenSshServer("127.0.1.91");

    @TempDir
    Path tmp;

    /** Where the hosts' commands write (as the test user): readable here, since the hosts are this machine. */
    private Path shared;

    @BeforeEach
    void sharedDir() throws Exception {
        shared = Files.createTempDirectory("opsctl-lost-it");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    @AfterEach
    void removeShared() throws Exception {
        TestDirs.delete(shared);
    }

    private Path inventory() throws Exception {
        return WebInventory.write(tmp, entry(WEB1), entry(WEB2));
    }

    private static String entry(OpenSshServer s) {
        return "{address: " + s.address() + ", port: " + s.port() + ", user: " + OpenSshServer.USER + ", identity_file: "
                + s.clientKey() + "}";
    }

    private Path runbook(String steps) throws Exception {
        return Files.writeString(tmp.resolve("rb.yaml"), """
                apiVersion: opsctl/v1
                kind: Runbook
                metadata: {name: lost}
                targets: web
                strategy: {serial: 1, max_failures: 1, continue_on_failure: true}
                steps:
                %s""".formatted(steps.indent(2)));
    }

    private Services services() {
        SshOptions options = SshOptions.defaults()
                .withKnownHosts(List.of(WEB1.knownHosts(), WEB2.knownHosts()), false)
                .withIdentities(List.of(), false, Optional.empty())
                .withTimeouts(Optional.of(Duration.ofSeconds(5)), Optional.empty());
        return Services.standard(new Env(tmp.resolve("state"), Clock.systemUTC(), "alice", false, Map.of()), Prompter.NON_INTERACTIVE,
                new HostTargets(SshConfig.empty(), options));
    }

    /** Calls {@code then} on its own thread {@code after} the step starts on web1. */
    private static EventSink onStart(RecordingSink recorded, String step, Duration after, Runnable then) {
        return e -> {
            recorded.accept(e);
            if (e instanceof RunEvent.StepStarted s && s.host().equals("web1") && s.step().equals(step) && s.attempt() == 1) {
                Thread t = new Thread(() -> {
                    try {
                        Thread.sleep(after.toMillis());
                    } catch (InterruptedException x) {
                        return;
                    }
                    then.run();
                });
                t.setDaemon(true);
                t.start();
            }
        };
    }

    /**
     * Kills the sshd processes serving {@code s}'s sessions, not the commands they run, as a crashed or
     * OOM-killed sshd child leaves them: the connection breaks and the command goes on.
     */
    private String runId() throws Exception {
        try (Stream<Path> runs = Files.list(tmp.resolve("state/runs"))) {
            return runs.findFirst().orElseThrow().getFileName().toString();
        }
    }

    private static String waitForDone(Path log) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < until) {
            if (Files.exists(log) && Files.readString(log).contains("done")) {
                Thread.sleep(1500); // an attempt that started late would have written by now
                return Files.readString(log);
            }
            Thread.sleep(100);
        }
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Step 'two' (writes start, then done 4 s later; 2 retries), its connection broken 1.5 s in by {@code breakIt}. */
    private int runTwoBrokenBy(RecordingSink recorded, Path log, String when, Runnable breakIt) throws Exception {
        return services().runs().run(RunRequest.of(runbook("""
                - id: two
                  shell: "echo start >> %s; sleep 4; echo done >> %s"
                  retries: 2
                  delay: 1s
                  %s
                """.formatted(log, log, when))).withInventory(inventory()),
                onStart(recorded, "two", Duration.ofMillis(1500), breakIt));
    }

    @Test
    void aCommandWhoseConnectionBrokeRunsOnAloneIsNotRetriedHaltsTheRolloutAndResumeWillNotRunItAgain() throws Exception {
        Path log = shared.resolve("two.log");
        RecordingSink recorded = new RecordingSink();
        int code;
        try {
            // no listener left: opsctl cannot reconnect to stop the command, which runs on
            code = runTwoBrokenBy(recorded, log, "", WEB1::killSshdLeavingCommands);
        } finally {
            WEB1.start();
        }

        assertEquals(ExitCodes.HUMAN_MUST_ACT, code, recorded.all().toString());
        RunEvent.StepFinished two = recorded.finished("web1", "two").get(0);
        assertEquals("connection_lost", two.outcome(), two.message());
        RunEvent.RunFinished end = recorded.of(RunEvent.RunFinished.class).get(0);
        assertEquals(Map.of("web1", "halted", "web2", "not_started"), end.hosts(), end.message());
        assertTrue(end.message().contains("step 'two' lost its connection mid-way: its command may still be running, or its change may have been applied"),
                end.message());
        assertEquals("start\ndone\n", waitForDone(log), "one attempt, which finished on its own after the connection broke");

        String id = runId();
        OpsctlException refused = assertThrows(OpsctlException.class, () -> services().history().resume(ResumeRequest.of(id),
                new RecordingSink()));
        assertTrue(refused.getMessage().contains("step 'two' lost its connection while its command ran"), refused.getMessage());
        assertEquals("start\ndone\n", Files.readString(log), "resume ran nothing");
    }

    @Test
    void aCommandWhoseConnectionBrokeIsStoppedFromANewConnectionThenTheStepFailsWithoutARetryAndTheRolloutGoesOn() throws Exception {
        Path log = shared.resolve("two.log");
        RecordingSink recorded = new RecordingSink();
        // sshd's child gone, the listener up: opsctl reconnects and stops what was left
        int code = runTwoBrokenBy(recorded, log, "when: \"host.name == 'web1'\"", WEB1::killConnectionProcesses);

        RunEvent.StepFinished two = recorded.finished("web1", "two").get(0);
        assertEquals(ExitCodes.FAILED, code, recorded.all().toString());
        assertEquals("connection_lost", two.outcome(), two.message());
        assertTrue(two.message().contains("opsctl reconnected and stopped it"), two.message());
        assertTrue(two.message().contains("not retried"), two.message());
        RunEvent.RunFinished end = recorded.of(RunEvent.RunFinished.class).get(0);
        assertEquals("failed", end.hosts().get("web1"), end.message());
        assertTrue(end.hosts().get("web2").equals("ok") || end.hosts().get("web2").equals("skipped"), end.hosts().toString());
        Thread.sleep(4000);
        assertEquals("start\n", Files.readString(log), "stopped before it wrote 'done', and run once");
    }

    /** sshd restarted under the step (its listener back 1.5 s later): opsctl reconnects to the new one instead of halting. */
    @Test
    void aCommandWhoseSshdRestartsUnderItIsStoppedFromTheNewSshdAndAnIdempotentStepIsRunAgain() throws Exception {
        Path log = shared.resolve("two.log");
        RecordingSink recorded = new RecordingSink();
        int code = runTwoBrokenBy(recorded, log, "idempotent: true\n  when: \"host.name == 'web1'\"", () -> {
            WEB1.killSshdLeavingCommands();
            try {
                Thread.sleep(1500);
                WEB1.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        assertEquals(ExitCodes.OK, code, recorded.all().toString());
        RunEvent.StepFinished two = recorded.finished("web1", "two").get(0);
        assertEquals("changed", two.outcome(), two.message());
        List<String> notices = recorded.of(RunEvent.Notice.class).stream().map(RunEvent.Notice::message).toList();
        assertTrue(notices.stream().anyMatch(n -> n.startsWith("step 'two' attempt 1 of 3: ")
                && n.contains("; opsctl reconnected and stopped it (TERM)")), notices.toString());
        assertEquals("start\nstart\ndone\n", waitForDone(log), "the first attempt stopped, the second run to its end");
    }

    @Test
    void aWaitOutlastsAnSshdThatRestartsUnderIt() throws Exception {
        Path ready = shared.resolve("ready");
        RecordingSink recorded = new RecordingSink();
        int code = services().runs().run(RunRequest.of(runbook("""
                - id: up
                  wait: {command: "sleep 1; test -f %s", interval: 1s, timeout: 30s}
                  when: "host.name == 'web1'"
                """.formatted(ready))).withInventory(inventory()),
                onStart(recorded, "up", Duration.ofMillis(2500), () -> {
                    WEB1.stop();
                    try {
                        Thread.sleep(2000);
                        WEB1.start();
                        Files.writeString(ready, "");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));

        RunEvent.StepFinished up = recorded.finished("web1", "up").get(0);
        assertEquals(ExitCodes.OK, code, up.message());
        assertEquals("ok", up.outcome(), up.message());
        List<String> polls = recorded.of(RunEvent.StepOutput.class).stream().map(RunEvent.StepOutput::line).toList();
        assertTrue(polls.stream().anyMatch(l -> l.contains("not ready (connection lost: ") || l.contains("not ready (unreachable: ")),
                polls.toString());
    }
}
