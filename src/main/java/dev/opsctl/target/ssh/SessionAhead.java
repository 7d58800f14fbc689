package dev.opsctl.target.ssh;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import net.schmizz.sshj.common.SSHRuntimeException;
import net.schmizz.sshj.connection.channel.OpenFailException;
import net.schmizz.sshj.connection.channel.direct.Session;

/**
 * One session channel opened ahead on a host's connection while a command runs, so that the next
 * command of a host that runs them one after another (a runbook's steps) does not wait for the
 * open's round trip: on a real network that is one of the two round trips a step costs. Opened from
 * a target's second command on, so a fan-out's one command per host opens none. While it waits it
 * holds one of the target's channel permits (sshd's MaxSessions counts it); it is opened once, not
 * retried, and a host that refuses it (MaxSessions 1) gets none again. Thread-safe.
 */
final class SessionAhead {
    private static final long CLOSE_WAIT_MILLIS = 1000;

    private final Semaphore permits;
    private final ExecutorService io;
    private final AtomicInteger taken = new AtomicInteger();
    /** A session being opened or open on a connection, holding one permit. */
    private record Pending(CompletableFuture<Session> session, SshConnector.Connected on) {}

    /** Null when there is none. */
    private Pending next;
    private boolean refused;
    private boolean closed;
    private int commands;

    SessionAhead(Semaphore permits, ExecutorService io) {
        this.permits = permits;
        this.io = io;
    }

    /**
     * The session opened ahead on {@code c}, still open, waiting for its open to finish if it has
     * not (sshj bounds it); empty when there is none, the host refused it (the caller opens its
     * own), or it is on a connection since replaced, whose open is not waited for (a silent one never
     * answers it). Its permit is given back: the caller holds one for the command.
     *
     * @throws IOException the open failed on {@code c} for another reason than a refusal (a dead
     *     connection): opening again would only wait as long once more
     */
    Optional<Session> take(SshConnector.Connected c) throws IOException, InterruptedException {
        Pending p = detach(false);
        if (p == null) {
            return Optional.empty();
        }
        CompletableFuture<Session> f = p.session();
        SshConnector.Connected opener = p.on();
        if (opener != c) {
            // opened on a connection since replaced (dead, or silent: its open may never be answered): not waited for
            f.thenAccept(SessionAhead::quietly);
            permits.release();
            return Optional.empty();
        }
        try {
            Session s = f.get();
            if (!s.isOpen()) {
                quietly(s);
                return Optional.empty();
            }
            taken.incrementAndGet();
            return Optional.of(s);
        } catch (ExecutionException e) {
            Throwable why = e.getCause();
            if (!(why instanceof OpenFailException)) {
                throw why instanceof IOException io ? io : new IOException(why);
            }
            return Optional.empty();
        } catch (InterruptedException e) {
            f.thenAccept(SessionAhead::quietly);
            throw e;
        } finally {
            permits.release();
        }
    }

    /** After a command got its session on {@code c}: opens the next one ahead, from the second command on. */
    synchronized void prepare(SshConnector.Connected c) {
        commands++;
        // not while a call waits for a permit: the one held here would only serve the call holding one
        if (closed || refused || commands < 2 || next != null || permits.hasQueuedThreads() || !permits.tryAcquire()) {
            return;
        }
        next = new Pending(CompletableFuture.supplyAsync(() -> open(c), io), c);
    }

    /** The pending session, now the caller's (with its permit); {@code close}: open no more. */
    private synchronized Pending detach(boolean close) {
        closed |= close;
        Pending p = next;
        next = null;
        return p;
    }

    private Session open(SshConnector.Connected c) {
        try {
            return c.startSession();
        } catch (OpenFailException e) {
            synchronized (this) {
                refused = true;
            }
            throw new CompletionException(e);
        } catch (IOException | SSHRuntimeException e) {
            throw new CompletionException(e);
        }
    }

    /**
     * Closes the session waiting, if any, and opens no more; its permit is free once this returns.
     * Waits at most {@value #CLOSE_WAIT_MILLIS} ms (a close waits for the host's answer, which a
     * silent host never sends). False when a session may be left open or still opening on the
     * connection, which then must not serve another command.
     */
    boolean close() {
        Pending p = detach(true);
        if (p == null) {
            return true;
        }
        CompletableFuture<Session> f = p.session();
        try {
            if (!f.isDone()) {
                f.thenAccept(SessionAhead::quietly);
                return false;
            }
            Session s = f.getNow(null);
            Thread closer = new Thread(() -> quietly(s), "ssh-close-ahead");
            closer.setDaemon(true);
            closer.start();
            closer.join(CLOSE_WAIT_MILLIS);
            return !closer.isAlive();
        } catch (CompletionException e) {
            return true; // never opened: nothing to close
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            permits.release();
        }
    }

    /** How many commands ran on a session opened ahead, for tests. */
    int taken() {
        return taken.get();
    }

    private static void quietly(Session s) {
        try {
            s.close();
        } catch (IOException | RuntimeException e) {
            // the connection is gone: so is the channel
        }
    }
}
