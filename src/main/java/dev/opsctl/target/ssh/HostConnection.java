package dev.opsctl.target.ssh;

import dev.opsctl.source.Durations;
import dev.opsctl.target.TargetException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one connection of an {@link SshTarget}: opened on first use (or taken from those the process
 * keeps, see {@link IdleConnections}), reopened when found dead, and let go of when a call found it
 * lost. Thread-safe.
 */
final class HostConnection {
    /** How long the one reconnect after a loss may take at most, whatever ConnectTimeout says (0 is no limit). */
    private static final Duration RECONNECT_MAX = Duration.ofSeconds(30);

    private final SshSettings settings;
    private final Path home;
    private SshConnector.Connected connection;
    private boolean closed;

    HostConnection(SshSettings settings, Path home) {
        this.settings = settings;
        this.home = home;
    }

    /** The live connection, reopened if it broke. */
    synchronized SshConnector.Connected any() throws TargetException {
        open();
        return connection(false);
    }

    /** A new connection (not one kept from an earlier host) instead of {@code dead}. */
    synchronized SshConnector.Connected replace(SshConnector.Connected dead) throws TargetException {
        forget(dead);
        open();
        return connection(true);
    }

    /**
     * A new connection instead of a lost one, opened once within the connect timeout, for stopping
     * what the lost one left running. It serves the next calls too. Nothing is asked of the operator:
     * the keys are those decoded for the first connection, which the host accepted.
     */
    SshConnector.Connected reconnectWithin(ExecutorService io) throws TargetException, InterruptedException {
        Duration bound = settings.connectTimeout().compareTo(RECONNECT_MAX) < 0 ? settings.connectTimeout() : RECONNECT_MAX;
        Future<SshConnector.Connected> f;
        try {
            f = io.submit(() -> {
                synchronized (this) {
                    open();
                    return connection(true);
                }
            });
        } catch (RejectedExecutionException e) {
            throw closedTarget();
        }
        try {
            return f.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TargetException t) {
                throw t;
            }
            throw TargetException.unreachable(settings.name(), "unexpected error: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            f.cancel(true);
            throw TargetException.unreachable(settings.name(), "no new connection within " + Durations.format(bound), null);
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        }
    }

    /** Lets {@code dead} go (if it is still the connection): the next call opens a new one. */
    synchronized void forget(SshConnector.Connected dead) {
        if (connection == dead) {
            drop();
        }
    }

    /**
     * Ends the connection's use by this target: kept for another ({@link IdleConnections}) when the
     * process keeps connections and {@code clean} says nothing can still be open on it, else closed.
     */
    synchronized void release(boolean clean) {
        closed = true;
        if (connection != null) {
            IdleConnections.release(settings, connection, clean);
            connection = null;
        }
    }

    private void open() throws TargetException {
        if (closed) {
            throw closedTarget();
        }
    }

    private TargetException closedTarget() {
        return new TargetException(TargetException.Kind.CONNECTION_LOST, settings.name(),
                "host '" + settings.name() + "': the ssh target was already closed");
    }

    /** {@code fresh}: a new connection, not one kept from an earlier host. */
    private SshConnector.Connected connection(boolean fresh) throws TargetException {
        if (connection != null && connection.alive()) {
            return connection;
        }
        drop();
        connection = fresh ? SshConnector.connectNew(settings, home) : SshConnector.connect(settings, home);
        return connection;
    }

    private void drop() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }
}
