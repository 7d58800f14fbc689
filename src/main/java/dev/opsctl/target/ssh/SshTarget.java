package dev.opsctl.target.ssh;

import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.FileAttrs;
import dev.opsctl.target.FileInfo;
import dev.opsctl.target.OutputListener;
import dev.opsctl.target.SharedResources;
import dev.opsctl.target.StatCommand;
import dev.opsctl.target.Sudo;
import dev.opsctl.target.Target;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.UnixSocketForwarding;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
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
 * channel per command), with TCP_NODELAY and keepalive. A call whose command never started (the
 * connection was found dead or silent first, its channel open got no answer, or its exec request
 * could not be written) runs once more on a new connection. An exec request that went out is never
 * sent again, answered or not: a silent host may still run it once it answers, and one that closed
 * or reset the connection may have started it first ({@link SshExec.Unanswered}). A call running when the connection broke fails with CONNECTION_LOST
 * and lets it go, after stopping what the broken connection left running on the host from a new one
 * ({@link LostCommandStop}); the failure says which. On close the connection is kept for the next
 * command when the process keeps connections and nothing can still be open on it.
 * Unix sockets on the host (docker.sock) are forwarded to private local ones, see {@link SocketForwards}.
 * Thread-safe.
 */
public final class SshTarget implements Target, UnixSocketForwarding {
    private static final AtomicInteger THREADS = new AtomicInteger();
    /** OpenSSH's default MaxSessions is 10 channels per connection; more calls wait for a free one. */
    private static final int MAX_CHANNELS = 10;

    private final SshSettings settings;
    private final HostConnection connection;
    private final ExecutorService io;
    private final SshFiles files;
    private final Semaphore channels = new Semaphore(MAX_CHANNELS, true);
    private final SessionAhead ahead;
    private final SharedResources shared = new SharedResources();
    private final SocketForwards forwards = new SocketForwards(this);
    private final CallFailures failures;
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
        this.failures = new CallFailures(settings, connection, io);
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
        // connecting, or waiting for another call's reconnect, takes no longer than the command may run
        long deadline = request.timeout().map(t -> System.nanoTime() + t.toNanos()).orElse(Reconnection.NO_DEADLINE);
        Call call = startCall();
        try {
            while (true) {
                try {
                    Opened opened = opened(call, request.listener(), deadline);
                    ahead.prepare(opened.on());
                    SessionGroupKiller killer = new SessionGroupKiller(opened.on(), request.sudo(), io);
                    ExecResult r = failures.finished(opened.on(), request, SshExec.run(opened.session(), request, io, killer));
                    call.finished = true;
                    return r;
                } catch (SshExec.NotStarted e) {
                    if (call.reconnected || Thread.currentThread().isInterrupted()) {
                        connection.forget(call.on);
                        throw SshErrors.notStarted(settings, CallFailures.doing(request), e, call.reconnected);
                    }
                    call.reconnected = true;
                    connection.forget(call.on);
                    notice(request, "opsctl: the ssh connection to '" + settings.hostName() + ":" + settings.port()
                            + "' broke before the request to start " + CallFailures.doing(request) + " went out (" + SshErrors.message(e)
                            + "); sent it on a new connection");
                }
            }
        } catch (SshExec.Unanswered e) {
            connection.forget(call.on);
            throw SshErrors.unanswered(settings, CallFailures.doing(request), e);
        } catch (SshExec.Broke e) {
            throw failures.lost(call.on, request, e, e.group(), e.outputSoFar());
        } catch (IOException e) {
            throw failures.failed(call.on, CallFailures.doing(request), e);
        } catch (SSHRuntimeException e) {
            throw failures.failed(call.on, CallFailures.doing(request), new IOException(e));
        } finally {
            endCall(call);
        }
    }

    /** A line of opsctl's own among the command's progress (not its output): what a listener shows, e.g. a step's progress. */
    private static void notice(ExecRequest request, String line) {
        request.listener().line(OutputListener.Stream.STDERR, line);
    }

    /**
     * One call: its channel permit, the connection it ended up on (null before it had one), and
     * whether it replaced one already: a call connects again at most once.
     */
    private static final class Call {
        SshConnector.Connected on;
        boolean reconnected;
        boolean finished;
    }

    private Call startCall() throws InterruptedException {
        channels.acquire(); // before the connection: close() keeps it only when every permit is free
        connection.callStarted();
        return new Call();
    }

    /** A call let go of its channel permit. */
    private void endCall(Call call) {
        if (!call.finished && call.on != null) {
            unfinishedCalls = true;
        }
        connection.callEnded();
        channels.release();
    }

    /** A session channel and the connection it is on. */
    private record Opened(SshConnector.Connected on, Session session) {}

    /**
     * A session for {@code call}, on the live connection ({@link HostConnection#live}, made by
     * {@code deadline}): the one
     * opened ahead, else a new one. A connection on which the open fails for another reason than a
     * refusal (dead, or no answer) is replaced once: nothing ran on it.
     *
     * @throws SshExec.NotStarted no session, on a new connection either
     */
    private Opened opened(Call call, OutputListener listener, long deadline) throws IOException, InterruptedException, TargetException {
        HostConnection.Live live = connection.live(deadline);
        call.on = live.on();
        live.replaced().ifPresent(line -> listener.line(OutputListener.Stream.STDERR, line));
        try {
            return session(call.on);
        } catch (OpenFailException e) {
            throw e;
        } catch (IOException | SSHRuntimeException e) {
            IOException why = e instanceof IOException io ? io : new IOException(e);
            if (call.reconnected || Thread.currentThread().isInterrupted()) {
                throw new SshExec.NotStarted(why);
            }
            call.reconnected = true;
            connection.forget(call.on);
            call.on = connection.any(deadline);
            try {
                return new Opened(call.on, openSession(call.on));
            } catch (OpenFailException again) {
                throw again;
            } catch (IOException | SSHRuntimeException again) {
                throw new SshExec.NotStarted(again instanceof IOException io ? io : new IOException(again));
            }
        }
    }

    private Opened session(SshConnector.Connected c) throws IOException, InterruptedException {
        Optional<Session> ready = ahead.take(c);
        return new Opened(c, ready.isPresent() ? ready.get() : openSession(c));
    }

    /**
     * sshd counts a session against MaxSessions until its side has finished closing it, which can
     * lag behind our close: a refused open is retried for a short while before it is an error.
     */
    private static Session openSession(SshConnector.Connected c) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return c.startSession();
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
        Call call = startCall();
        try {
            Opened session = opened(call, OutputListener.NONE, Reconnection.NO_DEADLINE);
            SFTPClient opened = sftpOn(session.on(), session.session());
            ahead.prepare(session.on());
            T result;
            try (Closeable client = () -> SftpFile.closeAsItsOwnFailure(opened::close)) {
                result = work.run(opened);
            }
            call.finished = true; // only once the channel is closed too
            return result;
        } catch (IOException e) {
            throw transferFailed(call.on, what, e);
        } catch (SSHRuntimeException e) {
            throw transferFailed(call.on, what, new IOException(e));
        } finally {
            endCall(call);
        }
    }

    /**
     * {@link CallFailures#failed}, for an SFTP call. One lost with its connection leaves nothing running: the
     * sftp-server does nothing more without its session (a write's partial upload is the writer's to
     * report, see {@link PartialUpload}), so no step waits on it as on a command that may still run.
     */
    private TargetException transferFailed(SshConnector.Connected c, String what, IOException e) {
        TargetException t = failures.failed(c, what, e);
        return t.kind() == TargetException.Kind.CONNECTION_LOST ? t.withLostCommand(TargetException.LostCommand.STOPPED) : t;
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
    public Optional<String> broken(String remotePath, long sinceNanos) {
        return forwards.broken(remotePath, sinceNanos);
    }

    @Override
    public <T extends AutoCloseable> T shared(String key, Class<T> type, Supplier<? extends T> create) {
        return shared.get(key, type, create);
    }

    /** Lets a connection found dead go (if it is still the target's): the next call opens a new one. */
    void forget(SshConnector.Connected dead) {
        connection.forget(dead);
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
