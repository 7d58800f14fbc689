package dev.opsctl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A step whose timeout ends it while opsctl waits for the answer to its exec request: the request went
 * out, so sshd may have the command, or start it later. sshj reports the watchdog's interrupt as an
 * error of its own; it must count as a command that may still run, not as a plain timeout that a retry
 * or a rollback may run beside.
 */
class StepTimeoutBeforeExecAnswerIT {
    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.216", "DEBUG1"); // logs each channel it opens

    @TempDir
    Path tmp;

    private Path shared;

    @BeforeEach
    void sharedDir() throws Exception {
        shared = Files.createTempDirectory("opsctl-step-timeout-it");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    @AfterEach
    void end() throws Exception {
        SSHD.killConnectionProcesses(); // the frozen ones too
        TestDirs.delete(shared);
    }

    private Services services() {
        SshOptions options = SshOptions.defaults()
                .withKnownHosts(List.of(SSHD.knownHosts()), false)
                .withIdentities(List.of(), false, Optional.empty())
                .withTimeouts(Optional.of(Duration.ofSeconds(5)), Optional.empty());
        return Services.standard(new Env(tmp.resolve("state"), Clock.systemUTC(), "alice", false, Map.of()), Prompter.NON_INTERACTIVE,
                new HostTargets(SshConfig.empty(), options));
    }

    /**
     * Freezes sshd's connection processes as step 'two' starts, once the session opened ahead for it
     * (during the target's second command, 'one') is open.
     */
    private static EventSink freezingBefore(RecordingSink recorded) {
        return e -> {
            recorded.accept(e);
            if (e instanceof RunEvent.StepStarted s && s.step().equals("two") && s.attempt() == 1) {
                long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (SSHD.log().split("server_input_channel_open: confirm session", -1).length - 1 < 3 && System.nanoTime() < until) {
                    Thread.onSpinWait(); // until it is open: its exec request, not its open, is what goes unanswered
                }
                SSHD.freezeConnectionProcesses();
            }
        };
    }

    @Test
    void aStepTimeoutWhileTheExecRequestIsUnansweredLeavesACommandThatMayStillRunNotRetriedNorRolledBack() throws Exception {
        Path log = shared.resolve("two.log");
        Path inventory = Files.writeString(tmp.resolve("inventory.yaml"), """
                apiVersion: opsctl/v1
                kind: Inventory
                hosts:
                  web1: {address: %s, port: %d, user: %s, identity_file: %s}
                groups:
                  web: {hosts: [web1]}
                """.formatted(SSHD.address(), SSHD.port(), OpenSshServer.USER, SSHD.clientKey()));
        Path runbook = Files.writeString(tmp.resolve("rb.yaml"), """
                apiVersion: opsctl/v1
                kind: Runbook
                metadata: {name: unanswered}
                targets: web
                triggers:
                  - name: two-failed
                    when: {step: two, failed: true}
                    then: rollback
                steps:
                  - id: zero
                    shell: "echo zero"
                  - id: one
                    shell: "echo one"
                  - id: two
                    shell: "echo ran >> %s"
                    timeout: 1s
                    retries: 2
                    delay: 0s
                rollback:
                  - id: undo
                    shell: "echo undo >> %s"
                """.formatted(log, log));
        RecordingSink recorded = new RecordingSink();
        int code;
        try {
            code = services().runs().run(RunRequest.of(runbook).withInventory(inventory), freezingBefore(recorded));
        } finally {
            SSHD.thawConnectionProcesses();
        }

        List<RunEvent.StepFinished> two = recorded.finished("web1", "two");
        assertEquals(1, two.size(), recorded.all().toString());
        assertEquals("timed_out", two.get(0).outcome(), two.get(0).message());
        assertTrue(two.get(0).message().startsWith("timed out after 1s; host 'web1': the ssh connection to '" + SSHD.address() + ":"
                + SSHD.port() + "' had not answered the request to start running 'echo ran >> "), two.get(0).message());
        assertTrue(two.get(0).message().contains("' when opsctl stopped waiting (interrupted); the host may have started it, or still"
                + " start it; "), two.get(0).message());
        assertTrue(two.get(0).message().endsWith("; not retried (attempt 1 of 3): the step is not idempotent"), two.get(0).message());
        assertEquals(1, recorded.of(RunEvent.StepStarted.class).stream().filter(s -> s.step().equals("two")).count(),
                "one attempt: " + recorded.all());
        assertTrue(recorded.of(RunEvent.RollbackStarted.class).isEmpty(), "no rollback beside it: " + recorded.all());
        assertEquals(ExitCodes.HUMAN_MUST_ACT, code, recorded.all().toString());
        RunEvent.RunFinished end = recorded.of(RunEvent.RunFinished.class).get(0);
        assertEquals(Map.of("web1", "halted"), end.hosts(), end.message());
        Thread.sleep(1500); // the thawed sshd runs what it was sent, if anything, within milliseconds
        String ran = Files.exists(log) ? Files.readString(log) : "";
        assertTrue(ran.isEmpty() || ran.equals("ran\n"), "at most once, and no rollback: " + ran);
    }
}
