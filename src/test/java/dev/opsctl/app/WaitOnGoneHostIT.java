package dev.opsctl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.engine.fakes.RecordingSink;
import dev.opsctl.event.EventSink;
import dev.opsctl.event.RunEvent;
import dev.opsctl.target.ssh.OpenSshServer;
import dev.opsctl.target.ssh.SshConfig;
import dev.opsctl.target.ssh.SshOptions;
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
 * A {@code wait} on a host opsctl was connected to and that is now away ends within its timeout (plus
 * a small margin): a poll's reconnect is bounded by what is left of the wait, not by the 10 s
 * opsctl tries a host that worked for, nor by the connect timeout of a host that does not answer.
 */
class WaitOnGoneHostIT {
    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.217");

    /** How far past its timeout a wait may end: a poll's last connect attempt, the events, the JVM. */
    private static final Duration MARGIN = Duration.ofMillis(1500);

    @TempDir
    Path tmp;

    private final List<String> dropRule = new ArrayList<>();

    @AfterEach
    void end() throws Exception {
        if (!dropRule.isEmpty()) {
            List<String> delete = new ArrayList<>(dropRule);
            delete.set(1, "-D");
            iptables(delete);
            dropRule.clear();
        }
        SSHD.stop();
        SSHD.start();
    }

    private static void iptables(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(command + " failed: " + out);
        }
    }

    private Services services() {
        SshOptions options = SshOptions.defaults()
                .withKnownHosts(List.of(SSHD.knownHosts()), false)
                .withIdentities(List.of(), false, Optional.empty())
                .withTimeouts(Optional.of(Duration.ofSeconds(5)), Optional.empty());
        return Services.standard(new Env(tmp.resolve("state"), Clock.systemUTC(), "alice", false, Map.of()), Prompter.NON_INTERACTIVE,
                new HostTargets(SshConfig.empty(), options));
    }

    /** Runs 'one' then a 2 s wait, calling {@code away} as the wait starts; the wait's end event. */
    private RunEvent.StepFinished waitAfter(Runnable away) throws Exception {
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
                metadata: {name: wait-gone}
                targets: web
                steps:
                  - id: one
                    shell: "echo one"
                  - id: up
                    wait: {command: "true", interval: 1s, timeout: 2s}
                """);
        RecordingSink recorded = new RecordingSink();
        EventSink sink = e -> {
            recorded.accept(e);
            if (e instanceof RunEvent.StepStarted s && s.step().equals("up")) {
                away.run();
            }
        };
        services().runs().run(RunRequest.of(runbook).withInventory(inventory), sink);
        List<RunEvent.StepFinished> up = recorded.finished("web1", "up");
        assertEquals(1, up.size(), recorded.all().toString());
        return up.get(0);
    }

    @Test
    void aWaitOnAHostThatNowRefusesEndsWithinItsTimeout() throws Exception {
        RunEvent.StepFinished up = waitAfter(SSHD::stop);
        assertEquals("timed_out", up.outcome(), up.message());
        assertTrue(up.message().contains("unreachable: "), up.message());
        assertTrue(up.elapsedMs() < Duration.ofSeconds(2).plus(MARGIN).toMillis(), up.elapsedMs() + " ms: " + up.message());
    }

    @Test
    void aWaitOnAHostThatNoLongerAnswersEndsWithinItsTimeout() throws Exception {
        RunEvent.StepFinished up = waitAfter(() -> {
            SSHD.stop(); // the connection breaks; new ones get no answer at all
            dropRule.addAll(List.of("iptables", "-I", "OUTPUT", "-p", "tcp", "-d", SSHD.address(), "--dport",
                    String.valueOf(SSHD.port()), "--tcp-flags", "SYN,ACK,RST", "SYN", "-j", "DROP"));
            try {
                iptables(dropRule);
            } catch (Exception x) {
                throw new IllegalStateException(x);
            }
        });
        assertEquals("timed_out", up.outcome(), up.message());
        assertTrue(up.message().contains("unreachable: "), up.message());
        assertTrue(up.elapsedMs() < Duration.ofSeconds(2).plus(MARGIN).toMillis(), up.elapsedMs() + " ms: " + up.message());
    }
}
