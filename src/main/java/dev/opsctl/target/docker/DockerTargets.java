package dev.opsctl.target.docker;

import dev.opsctl.target.Target;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.UnixSocketForwarding;

/** The Docker daemon of a host target: one per target and socket, created on first use and closed with the target. */
public final class DockerTargets {
    private DockerTargets() {}

    public static DockerTarget of(Target target) throws TargetException {
        return of(target, DockerDaemon.DEFAULT_SOCKET);
    }

    public static DockerTarget of(Target target, String socket) throws TargetException {
        if (!(target instanceof UnixSocketForwarding forwarding)) {
            throw TargetException.remoteFailed(target.host(), "host '" + target.host() + "' is reached through "
                    + target.describe() + ", which cannot reach its docker daemon's socket");
        }
        return forwarding.shared("docker:" + socket, DockerDaemon.class, () -> new DockerDaemon(target.host(), forwarding, socket));
    }
}
