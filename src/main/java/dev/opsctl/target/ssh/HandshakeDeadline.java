package dev.opsctl.target.ssh;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ends a connection attempt whose SSH handshake (banner, key exchange) is not done within the
 * connect timeout, as OpenSSH's ConnectTimeout does. sshj times only the TCP connect and its own
 * waits for key-exchange messages; it reads the server's banner with no timeout at all, so a host
 * that accepts the connection and never speaks (a hung sshd, a tarpit, a full accept queue behind
 * a proxy) would hold a fan-out's worker, and the run, forever. Exactly one of {@link #finish} and
 * the deadline wins: a handshake that finished in time is never aborted afterwards.
 */
final class HandshakeDeadline {
    private static final int PENDING = 0;
    private static final int FINISHED = 1;
    private static final int EXPIRED = 2;

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "opsctl-ssh-deadline");
        t.setDaemon(true);
        return t;
    });

    private final AtomicInteger state = new AtomicInteger(PENDING);
    private final ScheduledFuture<?> task;

    /** Closes what {@code abort} closes once {@code timeout} has passed, unless finished first. */
    HandshakeDeadline(Duration timeout, Closeable abort) {
        task = TIMER.schedule(() -> {
            if (state.compareAndSet(PENDING, EXPIRED)) {
                // on a thread of its own: closing a tunnel waits for the jump host, and the timer serves every host
                Thread t = new Thread(() -> {
                    try {
                        abort.close();
                    } catch (IOException | RuntimeException e) {
                        // the blocked read fails either way
                    }
                }, "opsctl-ssh-abort");
                t.setDaemon(true);
                t.start();
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Marks the handshake done; false if the deadline passed first (the attempt is being ended). */
    boolean finish() {
        boolean inTime = state.compareAndSet(PENDING, FINISHED);
        task.cancel(false);
        return inTime;
    }

    /** Whether the deadline passed and the attempt was ended. */
    boolean expired() {
        return state.get() == EXPIRED;
    }
}
