package dev.opsctl.target.ssh;

import dev.opsctl.target.TargetException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import net.schmizz.sshj.connection.channel.OpenFailException;
import net.schmizz.sshj.connection.channel.direct.Session;

/**
 * The unix-socket forwards of one {@link SshTarget}: a {@link SocketBridge} per remote socket
 * path, each accepted connection opening a {@code direct-streamlocal@openssh.com} channel to the
 * socket. Where the server forbids stream-local forwarding ({@code AllowStreamLocalForwarding no})
 * the bridge falls back, for the rest of the run, to {@code docker system dial-stdio} in an exec
 * channel, which needs only the docker CLI and the SSH user's access to the daemon. Each forwarded
 * connection is one channel on the host's connection; a dial-stdio one is a session, which sshd
 * counts against MaxSessions as it does a command's, so it is opened as a command's is (a channel
 * permit held while it lasts, the same patience for a host still closing the last one). Thread-safe.
 */
final class SocketForwards implements AutoCloseable {
    private static final String DIAL_STDIO = "docker system dial-stdio";

    private final SshTarget target;
    private final Map<String, SocketBridge> bridges = new LinkedHashMap<>();
    private volatile boolean streamLocalRefused;
    private boolean closed;
    private boolean used;

    SocketForwards(SshTarget target) {
        this.target = target;
    }

    synchronized Path forward(String remotePath) throws TargetException {
        if (closed) {
            throw new TargetException(TargetException.Kind.CONNECTION_LOST, target.host(),
                    "host '" + target.host() + "': the ssh target was already closed");
        }
        SocketBridge b = bridges.get(remotePath);
        if (b == null) {
            target.connection();
            String file = Path.of(remotePath).getFileName().toString();
            try {
                b = SocketBridge.start(target.host(), file, () -> open(remotePath));
            } catch (IOException e) {
                throw new TargetException(TargetException.Kind.REMOTE_FAILED, target.host(), "host '" + target.host()
                        + "': cannot create a local socket to forward '" + remotePath + "': " + SshErrors.message(e), e);
            }
            bridges.put(remotePath, b);
            used = true;
        }
        return b.socket();
    }

    /** Whether a socket was ever forwarded: its channels may outlive {@link #close}. */
    synchronized boolean used() {
        return used;
    }

    /** Why the latest connection to {@code remotePath} ended without an answer, since then, when known. */
    synchronized Optional<String> unanswered(String remotePath, long sinceNanos) {
        SocketBridge b = bridges.get(remotePath);
        return b == null ? Optional.empty() : b.unanswered(sinceNanos);
    }

    /** Why a connection to {@code remotePath} broke under its client since then because the ssh connection was lost, when one did. */
    synchronized Optional<String> broken(String remotePath, long sinceNanos) {
        SocketBridge b = bridges.get(remotePath);
        return b == null ? Optional.empty() : b.broken(sinceNanos).map(why -> "the ssh connection to '" + target.settings().hostName() + ":" + target.settings().port()
                + "' broke (" + why + ")");
    }

    /** The bridge for a forwarded path, for tests. */
    synchronized SocketBridge bridge(String remotePath) {
        return bridges.get(remotePath);
    }

    private SocketBridge.RemoteEnd open(String remotePath) throws IOException, InterruptedException {
        SshConnector.Connected c = connection();
        try {
            return open(remotePath, c);
        } catch (IOException e) {
            if (!SshErrors.transportBroke(e)) {
                throw e;
            }
            // the connection died under an earlier channel and sshj has not marked it so yet: a read asked again after
            // the loss must not meet the dead connection once more
            target.forget(c);
            return open(remotePath, connection());
        }
    }

    private SshConnector.Connected connection() throws IOException {
        try {
            return target.connection();
        } catch (TargetException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private SocketBridge.RemoteEnd open(String remotePath, SshConnector.Connected c) throws IOException, InterruptedException {
        String refused = null;
        if (!streamLocalRefused) {
            StreamLocalChannel ch = new StreamLocalChannel(c.client().getConnection(), remotePath);
            try {
                ch.open();
                return new ChannelEnd(ch.getInputStream(), ch.getOutputStream(), ch::close, Optional::empty);
            } catch (OpenFailException e) {
                // OpenSSH answers CONNECT_FAILED both when forwarding is off and when nothing listens on
                // the socket: only an explicit prohibition is remembered, otherwise dial-stdio is tried
                // for this connection (if the daemon is down it fails there too, as it should)
                if (e.getReason() == OpenFailException.Reason.ADMINISTRATIVELY_PROHIBITED) {
                    streamLocalRefused = true;
                } else {
                    refused = "sshd could not connect to '" + remotePath + "' (" + SshErrors.message(e) + ")";
                }
            }
        }
        String before = refused;
        DialStdio dial;
        try {
            dial = dialStdio(c);
        } catch (IOException | RuntimeException e) {
            // sshd's refusal is often the cause (nothing listens on the socket): the session's failure alone hides it
            IOException both = new IOException(afterRefusal(before, "'" + DIAL_STDIO + "' could not start: " + SshErrors.message(e)));
            both.addSuppressed(e); // not the cause: the bridge reports the root cause's words
            throw both;
        }
        Session.Command cmd = dial.command();
        DialStdioErrors errors = DialStdioErrors.drain(cmd.getErrorStream());
        return new ChannelEnd(cmd.getInputStream(), cmd.getOutputStream(), dial.session()::close,
                () -> errors.text().map(e -> afterRefusal(before, "'" + DIAL_STDIO + "' said: " + e))
                        .or(() -> Optional.ofNullable(before)));
    }

    /** Why dial-stdio failed, after sshd's refusal of the socket when there was one (null when not). */
    private static String afterRefusal(String refused, String why) {
        return refused == null ? why : refused + ", and " + why;
    }

    private record DialStdio(HeldSession session, Session.Command command) {}

    /** {@value #DIAL_STDIO} started in a session of its own on {@code c}. */
    private DialStdio dialStdio(SshConnector.Connected c) throws IOException, InterruptedException {
        HeldSession held = target.holdSession(c);
        try {
            return new DialStdio(held, held.session().exec(DIAL_STDIO));
        } catch (IOException | RuntimeException e) {
            held.close();
            throw e;
        }
    }

    @Override
    public void close() {
        List<SocketBridge> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(bridges.values());
            bridges.clear();
        }
        all.forEach(SocketBridge::close);
    }

    @FunctionalInterface
    private interface Closer {
        void close() throws IOException;
    }

    private record ChannelEnd(InputStream input, OutputStream output, Closer closer, Supplier<Optional<String>> why)
            implements SocketBridge.RemoteEnd {
        @Override
        public Optional<String> whyEnded() {
            return why.get();
        }

        @Override
        public void close() {
            try {
                closer.close();
            } catch (IOException | RuntimeException e) {
                // the channel or the connection is already gone
            }
        }
    }
}
