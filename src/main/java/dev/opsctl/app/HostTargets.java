package dev.opsctl.app;

import dev.opsctl.inventory.Connection;
import dev.opsctl.inventory.Host;
import dev.opsctl.target.Target;
import dev.opsctl.target.local.LocalTarget;
import dev.opsctl.target.ssh.SshConfig;
import dev.opsctl.target.ssh.SshOptions;
import dev.opsctl.target.ssh.SshTargets;
import java.util.function.Function;

/**
 * The standard {@link TargetFactory}: SSH hosts get an {@code SshTarget} resolved through the ssh
 * config and the operator's options; local hosts get whatever {@code local} makes (the local target).
 */
public final class HostTargets implements TargetFactory {
    private final SshConfig sshConfig;
    private final SshOptions sshOptions;
    private final Function<String, Target> local;

    /** SSH hosts through sshj, local hosts through {@link LocalTarget}. */
    public HostTargets(SshConfig sshConfig, SshOptions sshOptions) {
        this(sshConfig, sshOptions, LocalTarget::new);
    }

    public HostTargets(SshConfig sshConfig, SshOptions sshOptions, Function<String, Target> local) {
        this.sshConfig = sshConfig;
        this.sshOptions = sshOptions;
        this.local = local;
    }

    @Override
    public Target open(Host host) {
        if (host.connection() == Connection.LOCAL) {
            return local.apply(host.name());
        }
        return SshTargets.target(host.name(), host.address(), host.port(), host.user(), host.identityFile(), sshConfig,
                sshOptions);
    }
}
