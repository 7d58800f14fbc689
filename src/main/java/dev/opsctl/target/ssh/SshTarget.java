package dev.opsctl.target.ssh;

import dev.opsctl.source.OneLine;
import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.FileAttrs;
import dev.opsctl.target.FileInfo;
import dev.opsctl.target.SharedResources;
import dev.opsctl.target.StatCommand;
import dev.opsctl.target.Sudo;
import dev.opsctl.target.Target;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.UnixSocketForwarding;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import net.schmizz.sshj.common.SSHRuntimeException;
import net.schmizz.sshj.connection.channel.OpenFailException;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.SessionFactory;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.sftp.SFTPEngine;

/**
 * A host reached over SSH: one connection ({@link HostConnection}), shared by every call (a session
 * channel per command), with TCP_NODELAY and keepalive. A connection found broken is reopened once
 * on the next call; a call running when it broke fails with CONNECTION_LOST and lets it go, so the
 * next call opens a new one even while sshj still reports the old one alive, after stopping what
 * the broken connection left running on the host from a new one ({@link LostCommandStop}); the
 * failure says which. On close the connection is kept for the next command when the process keeps
 * connections and nothing can still be open on it.
 * Unix sockets on the host (docker.sock) are forwarded to private local ones, see {@link SocketForwards}.
 * Thread-safe.
 */
public final class SshTarget implements Target, UnixSocketForwarding {
    private static final AtomicInteger THREADS = new AtomicInteger();
    /** OpenSSH's default MaxSessions is 10 channels per connection; more calls wait for a free one. */
    private static final int MAX_CHANNELS = 10;
    /** How long a connection whose channel open failed may take to finish closing, if it is closing. */
    private static final Duration DYING = Duration.ofMillis(500);

    private final SshSettings settings;
    private final HostConnection connection;
    private final ExecutorService io;
    private final SshFiles files;
    private final Semaphore channels = new Semaphore(MAX_CHANNELS, true);
    private final SessionAhead ahead;
    private final SharedResources shared = new SharedResources();
    private final SocketForwards forwards = new SocketForwards(this);
    /** A call ended by an exception (an interrupt, a lost connection): its channel may not be closed cleanly. */
    private volatile boolean unfinishedCalls;

    SshTarget(SshSettings settings) {
        this(settings, Path.of(System.getProperty("user.home")));
    }

    SshTarget(SshSettings settings, Path home) {
        this.settings = settings;
        this.connection = new HostConnection(settings, home);
        this.io = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ssh-" + settings.name() + "-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.files = new SshFiles(this);
        this.ahead = new SessionAhead(channels, io);
    }

    public SshSettings settings() {
        return settings;
    }

    @Override
    public String host() {
        return settings.name();
    }

    @Override
    public String describe() {
        String via = settings.jumps().isEmpty() ? "" : " via " + String.join(",", settings.jumps().stream()
                .map(SshSettings::endpoint).toList());
        return "ssh " + settings.endpoint() + via;
    }

    @Override
    public ExecResult exec(ExecRequest request) throws TargetException, InterruptedException {
        channels.acquire(); // before the connection: close() keeps it only when every permit is free
        SshConnector.Connected c = null;
        boolean finished = false;
        try {
            c = connection();
            Opened opened = session(c);
            c = opened.on();
            ahead.prepare(c);
            try (Session session = opened.session()) {
                SshExec.Outcome o = SshExec.run(session, request, io, new SessionGroupKiller(c, request.sudo(), io), c.shell());
                if (o.statusMissing() && !c.alive()) {
                    throw lost(c, request, new IOException("the channel closed without an exit status"), o.group(),
                            new TargetException.OutputSoFar(o.result().stdout(), o.result().stderr()));
                }
                finished = true;
                return o.result();
            }
        } catch (SshExec.Broke e) {
            throw lost(c, request, e, e.group(), e.outputSoFar());
        } catch (IOException e) {
            throw failed(c, running(request), e);
        } catch (SSHRuntimeException e) {
            throw failed(c, running(request), new IOException(e));
        } finally {
            ended(c, finished);
        }
    }

    /**
     * The failure of a command whose connection broke under it, after the reconnect that stops what
     * it left running ({@link LostCommandStop}): the message and {@link TargetException#lostCommand}
     * say what became of it. Not a lost connection (a live one's channel failed): as it is.
     */
    private TargetException lost(SshConnector.Connected c, ExecRequest request, IOException e, long group,
            TargetException.OutputSoFar soFar) {
        TargetException t = failed(c, running(request), e);
        if (t.kind() != TargetException.Kind.CONNECTION_LOST) {
            return t.withOutputSoFar(soFar);
        }
        LostCommandStop.Outcome stop = LostCommandStop.stop(group, request.sudo(), () -> connection.reconnectWithin(io), io);
        return SshErrors.lost(settings, running(request), e, stop.words()).withOutputSoFar(soFar).withLostCommand(stop.state());
    }

    /**
     * What a call was doing, for its error: the command's beginning only. A whole script (or a
     * secret rendered into it) has no place in a one-line error that reaches JSON output and logs.
     */
    private static String running(ExecRequest request) {
        return "running '" + OneLine.of(request.command(), 60) + "'";
    }

    /** A call on {@code c} (null when it never got a connection) let go of its channel permit. */
    private void ended(SshConnector.Connected c, boolean finished) {
        if (!finished && c != null) {
            unfinishedCalls = true;
        }
        channels.release();
    }

    /** A session channel and the connection it is on. */
    private record Opened(SshConnector.Connected on, Session session) {}

    /**
     * A session for one call on {@code c}: the one opened ahead, else a new one. A connection found
     * dead before anything ran on it (the open ahead failed, or a kept connection went away while
     * idle) is replaced once.
     */
    private Opened session(SshConnector.Connected c) throws IOException, InterruptedException, TargetException {
        Optional<Session> ready;
        try {
            ready = ahead.take(c);
        } catch (IOException e) {
            connection.forget(c);
            c = connection.any();
            ready = Optional.empty();
        }
        if (ready.isPresent()) {
            return new Opened(c, ready.get());
        }
        try {
            return new Opened(c, openSession(c));
        } catch (IOException | SSHRuntimeException e) {
            if (!wentAwayWhileKept(c, e)) {
                throw e;
            }
            SshConnector.Connected fresh = connection.replace(c);
            return new Opened(fresh, openSession(fresh));
        }
    }

    /**
     * A kept connection ({@link IdleConnections}) that is dead once it failed to open a channel went
     * away while it was idle: nothing ran on it, so it is replaced once. A live one (a refusal, a
     * slow host) and an interrupted caller keep the failure.
     */
    private static boolean wentAwayWhileKept(SshConnector.Connected c, Exception failure) {
        return c.reused() && !(failure instanceof OpenFailException) && !Thread.currentThread().isInterrupted()
                && c.closedWithin(DYING);
    }

    /**
     * The error of a call on {@code c}. A lost connection is let go at once: sshj can still report
     * it alive for a moment after its socket closed, and the next call (a clean-up) would fail on it again.
     */
    private TargetException failed(SshConnector.Connected c, String what, IOException e) {
        TargetException t = SshErrors.during(settings, what, e, c.alive());
        if (t.kind() == TargetException.Kind.CONNECTION_LOST) {
            connection.forget(c);
        }
        return t;
    }

    /**
     * sshd counts a session against MaxSessions until its side has finished closing it, which can
     * lag behind our close: a refused open is retried for a short while before it is an error.
     */
    private static Session openSession(SshConnector.Connected c) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return c.client().startSession();
            } catch (OpenFailException e) {
                if (attempt >= 40) {
                    throw e;
                }
                Thread.sleep(Math.min(100, 5L * attempt));
            }
        }
    }

    /**
     * A session on {@code c} for a channel that outlives one call (a forward's dial-stdio): it waits
     * for a channel permit as a command does and holds it until closed, and is opened with a
     * command's patience ({@link #openSession}).
     */
    HeldSession holdSession(SshConnector.Connected c) throws IOException, InterruptedException {
        channels.acquire();
        HeldSession held = null;
        try {
            held = new HeldSession(openSession(c), channels::release);
            return held;
        } finally {
            if (held == null) {
                channels.release();
            }
        }
    }

    @Override
    public void put(String path, byte[] content, FileAttrs attrs) throws TargetException, InterruptedException {
        files.put(path, content, attrs);
    }

    @Override
    public byte[] get(String path, Sudo sudo) throws TargetException, InterruptedException {
        return files.get(path, sudo);
    }

    @Override
    public Optional<FileInfo> stat(String path, Sudo sudo) throws TargetException, InterruptedException {
        // a command, not SFTP: SFTP has no owner and group names, and this is the answer the local target gives
        ExecResult r = exec(ExecRequest.of(StatCommand.script(RemoteCommand.quote(path))).withSudo(sudo));
        if (!r.ok()) {
            throw TargetException.remoteFailed(host(), "host '" + host() + "': stat '" + path + "'"
                    + (sudo.enabled() ? " with sudo" : "") + " failed: " + r.lastLine());
        }
        try {
            return StatCommand.parse(r.stdout());
        } catch (IllegalArgumentException e) {
            throw TargetException.remoteFailed(host(), "host '" + host() + "': stat '" + path + "': " + e.getMessage());
        }
    }

    /** Runs {@code work} with a fresh SFTP channel on the shared connection. */
    <T> T sftp(String what, SftpWork<T> work) throws TargetException, InterruptedException {
        channels.acquire();
        SshConnector.Connected c = null;
        boolean finished = false;
        try {
            c = connection();
            Opened session = session(c);
            c = session.on();
            SFTPClient opened = sftpOn(c, session.session());
            ahead.prepare(c);
            T result;
            try (SFTPClient sftp = opened) {
                result = work.run(sftp);
            }
            finished = true; // only once the channel is closed too
            return result;
        } catch (IOException e) {
            throw failed(c, what, e);
        } catch (SSHRuntimeException e) {
            throw failed(c, what, new IOException(e));
        } finally {
            ended(c, finished);
        }
    }

    /**
     * SFTP on a session of ours: the one opened ahead (on a host allowing one session it holds it)
     * or one opened with {@link #openSession}'s patience for a host still closing the last one.
     */
    private static SFTPClient sftpOn(SshConnector.Connected c, Session session) throws IOException {
        SessionFactory given = new SessionFactory() {
            @Override
            public Session startSession() {
                return session;
            }

            @Override
            public java.net.InetSocketAddress getRemoteSocketAddress() {
                return c.client().getRemoteSocketAddress();
            }
        };
        try {
            return new SFTPClient(new SFTPEngine(given).init());
        } catch (IOException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    @FunctionalInterface
    interface SftpWork<T> {
        T run(SFTPClient sftp) throws IOException;
    }

    /** How many commands ran on a session opened ahead of them, for tests. */
    int sessionsTakenAhead() {
        return ahead.taken();
    }

    @Override
    public Path forward(String remotePath) throws TargetException, InterruptedException {
        return forwards.forward(remotePath);
    }

    @Override
    public Optional<String> unanswered(String remotePath, long sinceNanos) {
        return forwards.unanswered(remotePath, sinceNanos);
    }

    @Override
    public <T extends AutoCloseable> T shared(String key, Class<T> type, Supplier<? extends T> create) {
        return shared.get(key, type, create);
    }

    /** The live connection, reopened if it broke; for channels that outlive one call (forwards). */
    SshConnector.Connected connection() throws TargetException {
        return connection.any();
    }

    @Override
    public void close() {
        // clients first (they hold forwarded connections), then the forwards, then the connection
        shared.close();
        forwards.close();
        closeConnection();
    }

    private synchronized void closeConnection() {
        // its permit back first: the connection is kept only when every permit is free
        boolean settled = ahead.close();
        // every permit free: no call holds the connection (a call takes its permit first, and
        // none gets the connection of a closed target)
        boolean idle = channels.tryAcquire(MAX_CHANNELS);
        if (idle) {
            channels.release(MAX_CHANNELS);
        }
        // kept for the next command when the process keeps connections (the shell) and no channel can still be open on it
        connection.release(idle && settled && !forwards.used() && !unfinishedCalls);
        io.shutdownNow();
    }
}
