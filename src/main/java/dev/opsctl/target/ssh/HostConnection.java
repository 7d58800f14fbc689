package dev.opsctl.target.ssh;

import dev.opsctl.source.Durations;
import dev.opsctl.target.TargetException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one connection of an {@link SshTarget}: opened on first use (or taken from those the process
 * keeps, see {@link IdleConnections}), reopened when found dead, and asked before a call whether it
 * still answers when no call used it for {@link #PROBE_AFTER_IDLE}: a connection that died silently
 * between two steps (a partition, a frozen sshd child) still counts as alive to sshj, and the next
 * command would wait on it until keepalives gave up. Thread-safe.
 */
final class HostConnection {
    /**
     * How long the connection may go unused before a call asks it for a keepalive answer first. Steps
     * run back to back (the 100-step bench) start within milliseconds of the last one's end and never
     * pay the round trip; a pause long enough for a connection to die unnoticed (a wait step, a gate, an
     * operator answering) is seconds, against which one round trip is nothing.
     */
    static final Duration PROBE_AFTER_IDLE = Duration.ofSeconds(2);
    /** How long that answer may take: many round trips on any link, and far less than keepalives giving up. */
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(2);

    /** A connection for a call, and what happened to the one before it, if it was replaced for not answering. */
    record Live(SshConnector.Connected on, Optional<String> replaced) {}

    private final SshSettings settings;
    private final Path home;
    private final Reconnection reconnection;
    /**
     * Held while a call finds or makes the connection, which a reconnect can take up to its whole window:
     * the others wait for it as long as their own time allows, and an interrupt (a step's timeout, Ctrl-C)
     * ends their wait. The fields below are this object's monitor's, held only for moments.
     */
    private final ReentrantLock connecting = new ReentrantLock();
    private SshConnector.Connected connection;
    /** A connection was made once: a new one is a reconnect, tried again for a while ({@link Reconnection}). */
    private boolean connectedBefore;
    private boolean closed;
    private int calls;
    private long lastCallEnded = System.nanoTime();

    HostConnection(SshSettings settings, Path home) {
        this.settings = settings;
        this.home = home;
        this.reconnection = new Reconnection(settings.connectTimeout());
    }

    /**
     * The connection for a call that has {@link #callStarted started}: the live one, asked first if idle
     * long, else a new one, made by {@code deadline} ({@link System#nanoTime}, or
     * {@link Reconnection#NO_DEADLINE}), waiting for another call's connecting no longer than that.
     *
     * @throws TargetException UNREACHABLE: no connection by the deadline, or the wait interrupted (the interrupt kept)
     */
    Live live(long deadline) throws TargetException {
        lock(deadline);
        try {
            SshConnector.Connected c;
            long idleSince;
            int running;
            synchronized (this) {
                open();
                c = connection;
                idleSince = lastCallEnded;
                running = calls;
            }
            Optional<String> replaced = Optional.empty();
            if (c != null && c.alive() && running <= 1) {
                Duration idle = Duration.ofNanos(System.nanoTime() - idleSince);
                if (idle.compareTo(PROBE_AFTER_IDLE) > 0 && !c.answersWithin(answerWithin())) {
                    replaced = Optional.of("opsctl: the ssh connection to '" + settings.hostName() + ":" + settings.port()
                            + "' did not answer after " + Durations.format(Duration.ofSeconds(idle.toSeconds())) + " idle; connected again");
                    // silent, and maybe the jump host on the way with it: the next host through it connects anew too
                    if (c.via() != null) {
                        c.via().condemn();
                    }
                    forget(c);
                }
            }
            return new Live(connection(false, deadline), replaced);
        } finally {
            connecting.unlock();
        }
    }

    /** The live connection, reopened if it broke, without asking it first; for channels that outlive one call (forwards). */
    SshConnector.Connected any() throws TargetException {
        return any(Reconnection.NO_DEADLINE);
    }

    /** As {@link #any()}, made by {@code deadline} (see {@link #live}). */
    SshConnector.Connected any(long deadline) throws TargetException {
        lock(deadline);
        try {
            return connection(false, deadline);
        } finally {
            connecting.unlock();
        }
    }

    /**
     * A new connection instead of a lost one, for stopping what the lost one left running, tried
     * within {@link Reconnection#WINDOW} (plus the last attempt's connect timeout). It serves the next
     * calls too. Nothing is asked of the operator: the keys are those decoded for the first
     * connection, which the host accepted. Interrupted after an attempt failed: that failure, the
     * interrupt kept.
     */
    SshConnector.Connected reconnectWithin(ExecutorService io) throws TargetException, InterruptedException {
        Duration attempt = Reconnection.attemptTime(settings.connectTimeout());
        Duration bound = Reconnection.WINDOW.plus(attempt);
        long deadline = System.nanoTime() + bound.toNanos();
        reconnection.forgetLastFailure();
        Future<SshConnector.Connected> f;
        try {
            f = io.submit(() -> {
                lock(deadline);
                try {
                    return connection(true, deadline);
                } finally {
                    connecting.unlock();
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
            Optional<TargetException> failed = reconnection.lastFailure();
            if (failed.isEmpty()) {
                throw e;
            }
            Thread.currentThread().interrupt();
            throw failed.get();
        }
    }

    /** Lets {@code dead} go (if it is still the connection): the next call opens a new one. */
    synchronized void forget(SshConnector.Connected dead) {
        if (connection == dead) {
            drop();
        }
    }

    /** A call on the connection began (for the idle time); pair with {@link #callEnded}. */
    synchronized void callStarted() {
        calls++;
    }

    synchronized void callEnded() {
        calls--;
        lastCallEnded = System.nanoTime();
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

    /**
     * The connection, made if there is none alive ({@code fresh}: a new one, not one kept from an
     * earlier host), by {@code deadline}. Called holding {@link #connecting}; connects outside the
     * monitor, so that a call ending or letting a dead connection go does not wait for it.
     */
    private SshConnector.Connected connection(boolean fresh, long deadline) throws TargetException {
        boolean reconnect;
        synchronized (this) {
            open();
            if (connection != null && connection.alive()) {
                return connection;
            }
            drop();
            reconnect = connectedBefore;
        }
        SshConnector.Connected made;
        if (reconnect) {
            made = reconnection.connect(within -> attempt(fresh, within), deadline);
        } else {
            Duration within = deadline == Reconnection.NO_DEADLINE ? settings.connectTimeout() : Duration.ofNanos(deadline - System.nanoTime());
            if (within.compareTo(Reconnection.MIN_ATTEMPT) < 0) {
                throw TargetException.unreachable(settings.name(), "no time was left to connect to '" + settings.hostName() + ":"
                        + settings.port() + "'", null);
            }
            made = attempt(fresh, within);
        }
        synchronized (this) {
            if (closed) {
                made.close();
                throw closedTarget();
            }
            connection = made;
            connectedBefore = true;
            lastCallEnded = System.nanoTime();
            return made;
        }
    }

    private SshConnector.Connected attempt(boolean fresh, Duration within) throws TargetException {
        return fresh ? SshConnector.connectNew(settings, home, within) : SshConnector.connect(settings, home, within);
    }

    /** Takes {@link #connecting}, waiting until {@code deadline} at most; an interrupt ends the wait. */
    private void lock(long deadline) throws TargetException {
        String at = "'" + settings.hostName() + ":" + settings.port() + "'";
        try {
            if (deadline == Reconnection.NO_DEADLINE) {
                connecting.lockInterruptibly();
            } else if (!connecting.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw TargetException.unreachable(settings.name(), "no connection to " + at + " within the call's time: another"
                        + " call on the host was still connecting (reconnecting for up to " + Durations.format(Reconnection.WINDOW)
                        + ")", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw TargetException.unreachable(settings.name(), "interrupted while another call on the host was connecting to " + at, e);
        }
    }

    private void drop() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    private Duration answerWithin() {
        return settings.connectTimeout().compareTo(ANSWER_WITHIN) < 0 ? settings.connectTimeout() : ANSWER_WITHIN;
    }
}
