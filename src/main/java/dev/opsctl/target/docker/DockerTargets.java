package dev.opsctl.target.docker;

import dev.opsctl.target.Target;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.UnixSocketForwarding;

/** The Docker daemon of a host target: one per target and socket, created on first use and closed with the target. */
public final class DockerTargets {
    private DockerTargets() {}

    /**
     * True when {@code e} says the daemon did not answer while the host did (its socket is missing or
     * refuses): after {@code systemctl restart docker} that is a failed or not-yet-ready step, not an
     * unreachable host.
     */
    public static boolean daemonNotAnswering(TargetException e) {
        return e.kind() == TargetException.Kind.UNREACHABLE && e.getCause() instanceof DockerErrors.DaemonDown;
    }

    /** The error a {@link DockerTarget} throws when the daemon does not answer; for implementations and fakes. */
    public static TargetException daemonNotAnswering(String host, String what, Throwable cause) {
        return DockerErrors.notAnswering(host, what, cause);
    }

    public static DockerTarget of(Target target) throws TargetException {
        return of(target, DockerDaemon.DEFAULT_SOCKET);
    }

    public static DockerTarget of(Target target, String socket) throws TargetException {
        if (!(target instanceof UnixSocketForwarding forwarding)) {
            throw TargetException.remoteFailed(target.host(), "host '" + target.host() + "' is reached through "
                    + target.describe() + ", which cannot reach its docker daemon's socket");
        }
        return forwarding.shared("docker:" + socket, DockerTarget.class, () -> new DockerDaemon(target.host(), forwarding, socket));
    }
}
