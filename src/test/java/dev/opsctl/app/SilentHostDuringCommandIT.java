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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host that goes silent (every packet to and from it dropped, as for a frozen VM or a partition)
 * under a command with no timeout: the operator's ServerAliveInterval and ServerAliveCountMax decide
 * when opsctl notices, the step ends as connection_lost with the command possibly still running, and
 * the host halts.
 */
class SilentHostDuringCommandIT {
    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.221");

    /** A command no other test runs: found among the host's processes once it started. */
    private static final String COMMAND = "sleep 31.4221";

    @TempDir
    Path tmp;

    private final List<List<String>> rules = new ArrayList<>();
    private volatile long silentSince;

    @AfterEach
    void end() throws Exception {
        synchronized (rules) {
            for (List<String> rule : rules) {
                List<String> delete = new ArrayList<>(rule);
                delete.set(1, "-D");
                iptables(delete);
            }
            rules.clear();
        }
        SSHD.stop(); // the command left running goes with sshd's sessions
        SSHD.start();
    }

    private static void iptables(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(command + " failed: " + out);
        }
    }

    /** Once the command runs on the host, drops every packet to and from it. */
    private void silenceOnceRunning() {
        Thread t = new Thread(() -> {
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < until && ProcessHandle.allProcesses()
                    .noneMatch(p -> p.info().commandLine().map(c -> c.endsWith(COMMAND)).orElse(false))) {
                Thread.onSpinWait();
            }
            try {
                synchronized (rules) {
                    for (String way : List.of("-d", "-s")) {
                        List<String> rule = List.of("iptables", "-I", "OUTPUT", way, SSHD.address(), "-j", "DROP");
                        iptables(rule);
                        rules.add(rule);
                    }
                }
                silentSince = System.nanoTime();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "silence");
        t.setDaemon(true);
        t.start();
    }

    @Test
    void theOperatorsServerAliveSettingsEndACommandOnASilentHostAsALostConnectionThatHalts() throws Exception {
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
                metadata: {name: silent}
                targets: web
                steps:
                  - id: work
                    shell: "%s"
                  - id: after
                    shell: "echo after"
                """.formatted(COMMAND));
        SshConfig config = SshConfig.parse("ssh_config", """
                Host *
                  ServerAliveInterval 1
                  ServerAliveCountMax 2
                """);
        SshOptions options = SshOptions.defaults()
                .withKnownHosts(List.of(SSHD.knownHosts()), false)
                .withIdentities(List.of(), false, Optional.empty())
                .withTimeouts(Optional.of(Duration.ofSeconds(2)), Optional.empty());
        Services services = Services.standard(new Env(tmp.resolve("state"), Clock.systemUTC(), "alice", false, Map.of()),
                Prompter.NON_INTERACTIVE, new HostTargets(config, options));
        RecordingSink recorded = new RecordingSink();
        EventSink sink = e -> {
            recorded.accept(e);
            if (e instanceof RunEvent.StepStarted s && s.step().equals("work")) {
                silenceOnceRunning();
            }
        };
        int code = services.runs().run(RunRequest.of(runbook).withInventory(inventory), sink);
        long afterSilence = (System.nanoTime() - silentSince) / 1_000_000;

        List<RunEvent.StepFinished> work = recorded.finished("web1", "work");
        assertEquals(1, work.size(), recorded.all().toString());
        RunEvent.StepFinished w = work.get(0);
        System.out.println("silent host: step ended " + afterSilence + " ms after the host went silent: " + w.message());
        assertEquals("connection_lost", w.outcome(), w.message());
        assertTrue(w.message().contains("server not responding: 2 keepalives at 1 s intervals went unanswered"), w.message());
        assertTrue(w.message().contains("it may still be running on the host"), w.message());
        // noticed within ServerAliveCountMax + 1 intervals; then opsctl tries to stop it from a new
        // connection, which it tries for Reconnection.WINDOW (10 s) and one connect timeout (2 s)
        assertTrue(afterSilence < 3_000 + 10_000 + 2_000 + 2_000, afterSilence + " ms: " + w.message());
        assertTrue(recorded.finished("web1", "after").isEmpty(), "the host halted before 'after': " + recorded.all());
        assertEquals(ExitCodes.HUMAN_MUST_ACT, code, recorded.all().toString());
        RunEvent.RunFinished end = recorded.of(RunEvent.RunFinished.class).get(0);
        assertEquals(Map.of("web1", "halted"), end.hosts(), end.message());
    }
}
