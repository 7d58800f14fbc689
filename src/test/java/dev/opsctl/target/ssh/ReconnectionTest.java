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
        Reconnection r = new Reconnection(Duration.ofMillis(700));
        AtomicInteger tries = new AtomicInteger();
        Reconnection.Attempt refusing = () -> {
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

        assertSame(UP, r.connect(() -> UP), "it came back");
        tries.set(0);
        assertThrows(TargetException.class, () -> r.connect(refusing));
        assertTrue(tries.get() > 1, "a host that was back is tried for the window again: " + tries.get());
    }

    @Test
    void aHostKeyOrLoginRefusalIsNotTriedAgain() {
        Reconnection r = new Reconnection(Duration.ofMillis(700));
        AtomicInteger tries = new AtomicInteger();
        TargetException e = assertThrows(TargetException.class, () -> r.connect(() -> {
            tries.incrementAndGet();
            throw new TargetException(TargetException.Kind.HOST_KEY, "web1", "host 'web1': the host key changed");
        }));
        assertEquals(1, tries.get());
        assertEquals("host 'web1': the host key changed", e.getMessage());
    }
}
