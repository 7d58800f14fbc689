package dev.opsctl.app;

import dev.opsctl.engine.execute.TargetProvider;
import dev.opsctl.inventory.Connection;
import dev.opsctl.inventory.Host;
import dev.opsctl.target.Target;
import dev.opsctl.target.local.LocalTarget;
import dev.opsctl.target.ssh.SshConfig;
import dev.opsctl.target.ssh.SshOptions;
import dev.opsctl.target.ssh.SshSettings;
import dev.opsctl.target.ssh.SshTargets;
import java.io.IOException;
import java.util.List;
import java.util.function.Function;

/**
 * The standard {@link TargetProvider}: SSH hosts get an {@code SshTarget} resolved through the ssh
 * config and the operator's options; local hosts and {@code on: controller} steps get whatever
 * {@code local} makes (the local target).
 */
public final class HostTargets implements TargetProvider {
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

    /**
     * The operator's flags over the defaults of this process ({@code ~/.ssh/config},
     * {@code ~/.ssh/known_hosts}, {@code SSH_AUTH_SOCK}); ssh config warnings go to {@code warnings}.
     */
    public static HostTargets standard(SshFlags flags, java.util.function.Consumer<String> warnings) throws OpsctlException {
        SshOptions defaults = SshOptions.defaults();
        SshOptions options = defaults.withKnownHosts(flags.knownHosts(), flags.acceptNewHostKeys())
                .withIdentities(flags.identities(), flags.useAgent(), defaults.agentSocket())
                .withTimeouts(flags.connectTimeout(), java.util.Optional.empty())
                .withPassphrases(flags.passphrases());
        SshConfig config;
        try {
            config = SshConfig.named(flags.sshConfig(), defaults.home());
        } catch (IOException e) {
            throw OpsctlException.usage("cannot read the ssh config: " + SshConfig.describe(e));
        }
        List<String> w = config.warnings();
        w.forEach(warnings);
        return new HostTargets(config, options);
    }

    @Override
    public Target controller(Host forHost) {
        return local.apply("localhost");
    }

    /** What an SSH host is reached as, the ssh config and the operator's options applied, without connecting. */
    public SshSettings sshSettings(Host host) {
        return SshTargets.settings(host.name(), host.address(), host.port(), host.user(), host.identityFile(), sshConfig,
                sshOptions);
    }

    /** The ssh config files read, as messages name them. */
    public String sshConfigFiles() {
        return sshConfig.file();
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
