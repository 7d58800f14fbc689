package dev.opsctl.target;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A capability a {@link Target} may offer: reaching a unix socket on its host (the Docker daemon's
 * {@code /var/run/docker.sock}) from this process, and keeping client objects built on it for as
 * long as the target lives. A local target hands back the path itself; an SSH target a private
 * local socket bridged to the host. Found with {@code target instanceof UnixSocketForwarding}.
 * Thread-safe.
 */
public interface UnixSocketForwarding {
    /**
     * A socket path in this process's filesystem whose connections reach {@code remotePath} on the
     * host. The first call for a path sets the forward up; later calls return the same path. The
     * forward lives until the target is closed. Whether anything listens on the remote side shows
     * only when a connection is made.
     *
     * @throws TargetException UNREACHABLE when the host cannot be reached, REMOTE_FAILED when the
     *     host refuses to forward sockets
     */
    Path forward(String remotePath) throws TargetException, InterruptedException;

    /**
     * Why the latest connection made to {@code remotePath} through {@link #forward} ended before
     * the host's side sent anything, if that happened at or after {@code sinceNanos}
     * ({@link System#nanoTime}) and the forward knows (the host refused the channel, its fallback
     * said why); empty where the client's own error says it, as for a local socket.
     */
    default Optional<String> unanswered(String remotePath, long sinceNanos) {
        return Optional.empty();
    }

    /**
     * Why a connection made to {@code remotePath} through {@link #forward} broke under its client at or
     * after {@code sinceNanos} ({@link System#nanoTime}) because the host's own connection was lost (the SSH
     * connection carrying it), as opposed to the socket's far end closing it: the words to say so, such as
     * "the ssh connection to 'web1:22' broke (broken transport; encountered EOF)". Empty when none did, and
     * for a local socket. A new connection through the forward reconnects to the host.
     */
    default Optional<String> broken(String remotePath, long sinceNanos) {
        return Optional.empty();
    }

    /**
     * The resource kept under {@code key}, created by {@code create} on first use. Resources are
     * closed when the target closes, newest first and before its forwards, so a client built on a
     * forward (one Docker client per host and run) is closed with the run. {@code create} must not
     * block on the network.
     */
    <T extends AutoCloseable> T shared(String key, Class<T> type, Supplier<? extends T> create);
}
