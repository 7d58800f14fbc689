package dev.opsctl.target.ssh;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Ends a connection attempt whose SSH handshake (banner, key exchange, authentication) is not done
 * within the connect timeout, as OpenSSH's ConnectTimeout does. sshj times only the TCP connect and
 * its own waits for key-exchange messages; it reads the server's banner with no timeout at all, so
 * a host that accepts the connection and never speaks (a hung sshd, a tarpit, a full accept queue
 * behind a proxy) would hold a fan-out's worker, and the run, forever.
 */
final class HandshakeDeadline implements AutoCloseable {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "opsctl-ssh-deadline");
        t.setDaemon(true);
        return t;
    });

    private final ScheduledFuture<?> task;
    private volatile boolean expired;

    /** Closes what {@code abort} closes once {@code timeout} has passed, unless closed first. */
    HandshakeDeadline(Duration timeout, Closeable abort) {
        task = TIMER.schedule(() -> {
            expired = true;
            try {
                abort.close();
            } catch (IOException | RuntimeException e) {
                // the blocked read fails either way
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the deadline passed and the attempt was ended. */
    boolean expired() {
        return expired;
    }

    @Override
    public void close() {
        task.cancel(false);
    }
}
