package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.TargetException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A host behind a jump host, or reached again after a loss, within the time it is given: the
 * jump host's channel to a host that does not answer used to be waited for sshj's 30 s, whatever
 * ConnectTimeout or the call's time said; and a reconnect cut short by a call's time left its
 * shortened timeout on the connection every later call used.
 */
class JumpHostTimeoutIT {
    @RegisterExtension
    static final OpenSshServer JUMP = new OpenSshServer("127.0.1.219");
    @RegisterExtension
    static final OpenSshServer HOST = new OpenSshServer("127.0.1.220");

    private final List<List<String>> rules = new ArrayList<>();

    @AfterEach
    void end() throws Exception {
        for (List<String> rule : rules) {
            List<String> delete = new ArrayList<>(rule);
            delete.set(1, "-D");
            iptables(delete);
        }
        rules.clear();
        HOST.stop();
        HOST.start();
        JUMP.stop();
        JUMP.start();
    }

    private static void iptables(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(command + " failed: " + out);
        }
    }

    /** New connections to the host get no answer (its SYNs dropped); those open stay as they are. */
    private void blackHoleHost() throws Exception {
        blackHole(HOST);
    }

    private void blackHole(OpenSshServer sshd) throws Exception {
        List<String> rule = List.of("iptables", "-I", "OUTPUT", "-p", "tcp", "-d", sshd.address(), "--dport",
                String.valueOf(sshd.port()), "--tcp-flags", "SYN,ACK,RST", "SYN", "-j", "DROP");
        iptables(rule);
        rules.add(rule);
    }

    private static SshSettings throughJump(Duration connectTimeout) {
        return HOST.settings().withConnectTimeout(connectTimeout).withJumps(List.of(JUMP.settings()));
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @Test
    void aHostThatDoesNotAnswerBehindAJumpHostFailsWithinItsConnectTimeout() throws Exception {
        blackHoleHost();
        try (SshTarget t = new SshTarget(throughJump(Duration.ofSeconds(2)), HOST.dir())) {
            long start = System.nanoTime();
            try {
                t.exec(ExecRequest.of("true"));
                fail("connected to a host whose SYNs are dropped");
            } catch (TargetException e) {
                long took = millisSince(start);
                assertEquals(TargetException.Kind.UNREACHABLE, e.kind(), e.getMessage());
                assertTrue(took < 4000, took + " ms: " + e.getMessage());
            }
            // the jump host's connection is still good for the next host
            try (SshTarget jump = new SshTarget(JUMP.settings(), JUMP.dir())) {
                assertEquals("ok\n", jump.exec(ExecRequest.of("echo ok")).stdout());
            }
        }
    }

    @Test
    void aReconnectThroughAJumpHostEndsWithinTheCallsTime() throws Exception {
        try (SshTarget t = new SshTarget(throughJump(Duration.ofSeconds(5)), HOST.dir())) {
            assertEquals("one\n", t.exec(ExecRequest.of("echo one")).stdout());
            blackHoleHost();
            HOST.stop(); // the connection breaks; a new one gets no answer
            long start = System.nanoTime();
            Object outcome;
            try {
                outcome = t.exec(ExecRequest.of("echo two").withTimeout(Duration.ofSeconds(2)));
            } catch (TargetException e) {
                outcome = e;
            }
            long took = millisSince(start);
            TargetException e = assertInstanceOf(TargetException.class, outcome);
            assertEquals(TargetException.Kind.UNREACHABLE, e.kind(), e.getMessage());
            assertTrue(took < 3500, took + " ms: " + e.getMessage());
        }
    }

    @Test
    void aJumpHostOpenedAgainForAReconnectIsTriedWithinTheCallsTime() throws Exception {
        SshSettings jump = JUMP.settings().withConnectTimeout(Duration.ofSeconds(8));
        try (SshTarget t = new SshTarget(HOST.settings().withJumps(List.of(jump)), HOST.dir())) {
            assertEquals("one\n", t.exec(ExecRequest.of("echo one")).stdout());
            blackHole(JUMP);
            JUMP.stop(); // the jump connection, and the host's through it, break; a new one gets no answer
            long start = System.nanoTime();
            Object outcome;
            try {
                outcome = t.exec(ExecRequest.of("echo two").withTimeout(Duration.ofSeconds(2)));
            } catch (TargetException e) {
                outcome = e;
            }
            long took = millisSince(start);
            TargetException e = assertInstanceOf(TargetException.class, outcome);
            assertEquals(TargetException.Kind.UNREACHABLE, e.kind(), e.getMessage());
            assertTrue(took < 3500, took + " ms: " + e.getMessage());
        }
    }

    /** Reconnection's 30 s cap on an attempt is for ConnectTimeout 0 only: it cut an operator's longer one short too. */
    @Test
    void aReconnectAttemptIsGivenTheOperatorsConnectTimeoutLongerThanThirtySeconds() throws Exception {
        try (SshTarget t = new SshTarget(HOST.settings().withConnectTimeout(Duration.ofSeconds(32)), HOST.dir())) {
            assertEquals("one\n", t.exec(ExecRequest.of("echo one")).stdout());
            blackHoleHost();
            HOST.stop();
            long start = System.nanoTime();
            TargetException e = org.junit.jupiter.api.Assertions.assertThrows(TargetException.class,
                    () -> t.exec(ExecRequest.of("echo two")));
            long took = millisSince(start);
            assertEquals(TargetException.Kind.UNREACHABLE, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("within 32s"), took + " ms: " + e.getMessage());
            assertTrue(took >= 31_000, took + " ms: " + e.getMessage());
        }
    }

    @Test
    void aReconnectCutShortByACallsTimeLeavesTheConnectionItsOwnTimeout() throws Exception {
        try (SshTarget t = new SshTarget(HOST.settings(), HOST.dir())) {
            assertEquals("one\n", t.exec(ExecRequest.of("echo one")).stdout());
            HOST.dropSessions(); // the connection breaks; new ones work
            assertEquals("two\n", t.exec(ExecRequest.of("echo two").withTimeout(Duration.ofSeconds(2))).stdout());
            // sshj waits this long for a key re-exchange and a login's answer: the host's ConnectTimeout, not the call's 2 s
            assertEquals(HOST.settings().connectTimeout().toMillis(), t.connection().client().getTransport().getTimeoutMs());
        }
    }
}
