package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.TargetException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReconnectionTest {
    private static final SshConnector.Connected UP = new SshConnector.Connected(null, null);

    private static TargetException refused() {
        return TargetException.unreachable("web1", "connection refused by '10.0.0.1:22' (is sshd running on port 22?)", null);
    }

    /**
     * A host tried for a whole window and still away is gone: the next reconnect (the next step, a
     * rollback's, a clean-up) is one attempt, not the window again; one made resets that. Before,
     * every call on a gone host waited the whole 10 s again (three calls, ~29 s, on a real sshd).
     */
    @Test
    void aHostThatStayedAwayForTheWholeWindowIsTriedOnceNextUntilAConnectionIsMade() throws Exception {
        Reconnection r = new Reconnection(Duration.ofMillis(700), SshSettings.DEFAULT_CONNECT_TIMEOUT);
        AtomicInteger tries = new AtomicInteger();
        Reconnection.Attempt refusing = within -> {
            tries.incrementAndGet();
            throw refused();
        };
        TargetException first = assertThrows(TargetException.class, () -> r.connect(refusing));
        assertTrue(tries.get() > 1, "tried again within the window: " + tries.get());
        assertTrue(first.getMessage().matches(".*; \\d+ attempts in 1s"), first.getMessage());

        tries.set(0);
        long t0 = System.nanoTime();
        TargetException next = assertThrows(TargetException.class, () -> r.connect(refusing));
        assertEquals(1, tries.get(), "gone: tried once");
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).compareTo(Duration.ofMillis(200)) < 0);
        assertEquals(TargetException.Kind.UNREACHABLE, next.kind());
        assertTrue(next.getMessage().endsWith("(is sshd running on port 22?); 1 attempt (it stayed away for 700ms before)"),
                next.getMessage());

        assertSame(UP, r.connect(within -> UP), "it came back");
        tries.set(0);
        assertThrows(TargetException.class, () -> r.connect(refusing));
        assertTrue(tries.get() > 1, "a host that was back is tried for the window again: " + tries.get());
    }

    @Test
    void aHostKeyOrLoginRefusalIsNotTriedAgain() {
        Reconnection r = new Reconnection(Duration.ofMillis(700), SshSettings.DEFAULT_CONNECT_TIMEOUT);
        AtomicInteger tries = new AtomicInteger();
        TargetException e = assertThrows(TargetException.class, () -> r.connect(within -> {
            tries.incrementAndGet();
            throw new TargetException(TargetException.Kind.HOST_KEY, "web1", "host 'web1': the host key changed");
        }));
        assertEquals(1, tries.get());
        assertEquals("host 'web1': the host key changed", e.getMessage());
    }

    /**
     * A caller with little time left (a wait's poll, a step's command with a timeout) ends the reconnect
     * by its deadline, each attempt bounded by what is left, and the host is not counted as gone for
     * it; without a deadline an attempt gets at most {@link Reconnection#MAX_ATTEMPT} with ConnectTimeout
     * 0 (no limit: TCP's two minutes), and the host's ConnectTimeout otherwise, longer or not.
     */
    @Test
    void aReconnectEndsByItsCallersDeadlineAndEachAttemptIsBounded() {
        Reconnection r = new Reconnection(Duration.ofSeconds(10), SshSettings.NO_CONNECT_TIMEOUT);
        java.util.List<Duration> given = new java.util.concurrent.CopyOnWriteArrayList<>();
        Reconnection.Attempt refusing = within -> {
            given.add(within);
            throw refused();
        };
        long t0 = System.nanoTime();
        assertThrows(TargetException.class, () -> r.connect(refusing, System.nanoTime() + Duration.ofMillis(600).toNanos()));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertTrue(took.compareTo(Duration.ofMillis(900)) < 0, "ended by the deadline: " + took);
        assertTrue(given.stream().allMatch(d -> d.compareTo(Duration.ofMillis(600)) <= 0), given.toString());

        given.clear();
        assertThrows(TargetException.class, () -> r.connect(within -> {
            given.add(within);
            throw new TargetException(TargetException.Kind.HOST_KEY, "web1", "host 'web1': the host key changed");
        }));
        assertEquals(java.util.List.of(Reconnection.MAX_ATTEMPT), given, "without a deadline: at most MAX_ATTEMPT");

        // before, MAX_ATTEMPT cut an operator's longer ConnectTimeout short too: a link that needs it once needs it again
        given.clear();
        assertThrows(TargetException.class, () -> new Reconnection(Duration.ofSeconds(10), Duration.ofSeconds(45)).connect(within -> {
            given.add(within);
            throw new TargetException(TargetException.Kind.HOST_KEY, "web1", "host 'web1': the host key changed");
        }));
        assertEquals(java.util.List.of(Duration.ofSeconds(45)), given, "the operator's ConnectTimeout, longer than MAX_ATTEMPT");
    }
}
