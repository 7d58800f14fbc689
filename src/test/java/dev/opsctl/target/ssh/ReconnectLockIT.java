package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.TargetException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * While one call reconnects to a host that went away (tried for {@link Reconnection#WINDOW}), the other
 * calls on the same target wait for it only as long as their own time allows, and an interrupt (a
 * step's timeout, Ctrl-C) ends their wait: they used to wait, uninterruptibly, for the whole window.
 */
class ReconnectLockIT {
    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.218");

    @AfterEach
    void end() throws Exception {
        SSHD.stop();
        SSHD.start();
    }

    /** A target whose connection broke with sshd's end, and a call on it without a timeout, reconnecting for 10 s. */
    private static CompletableFuture<Object> reconnecting(SshTarget t) throws Exception {
        assertEquals("one\n", t.exec(ExecRequest.of("echo one")).stdout());
        SSHD.stop();
        CompletableFuture<Object> first = CompletableFuture.supplyAsync(() -> outcome(() -> t.exec(ExecRequest.of("echo first"))));
        Thread.sleep(500); // its first attempts were refused: it is pausing between them, holding the connection
        return first;
    }

    @FunctionalInterface
    private interface Call {
        Object run() throws Exception;
    }

    private static Object outcome(Call c) {
        try {
            return c.run();
        } catch (Exception e) {
            return e;
        }
    }

    @Test
    void aCallWithATimeoutDoesNotWaitForAnotherCallsReconnectBeyondIt() throws Exception {
        try (SshTarget t = new SshTarget(SSHD.settings(), SSHD.dir())) {
            CompletableFuture<Object> first = reconnecting(t);
            long start = System.nanoTime();
            Object second = outcome(() -> t.exec(ExecRequest.of("echo second").withTimeout(Duration.ofSeconds(1))));
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(took < 2000, took + " ms: " + second);
            TargetException e = assertInstanceOf(TargetException.class, second);
            assertEquals(TargetException.Kind.UNREACHABLE, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("another call on the host was still connecting"), e.getMessage());
            assertInstanceOf(TargetException.class, first.get(20, TimeUnit.SECONDS));
        }
    }

    @Test
    void anInterruptEndsACallsWaitForAnotherCallsReconnect() throws Exception {
        try (SshTarget t = new SshTarget(SSHD.settings(), SSHD.dir())) {
            CompletableFuture<Object> first = reconnecting(t);
            AtomicReference<Thread> caller = new AtomicReference<>();
            CompletableFuture<Object> second = CompletableFuture.supplyAsync(() -> {
                caller.set(Thread.currentThread());
                return outcome(() -> t.exec(ExecRequest.of("echo second")));
            });
            Thread.sleep(300);
            long start = System.nanoTime();
            caller.get().interrupt();
            Object ended = second.get(20, TimeUnit.SECONDS);
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(took < 1000, took + " ms: " + ended);
            TargetException e = assertInstanceOf(TargetException.class, ended);
            assertEquals(TargetException.Kind.UNREACHABLE, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("interrupted while another call on the host was connecting"), e.getMessage());
            assertInstanceOf(TargetException.class, first.get(20, TimeUnit.SECONDS));
        }
    }
}
