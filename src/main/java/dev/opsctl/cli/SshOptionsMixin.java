package dev.opsctl.cli;

import dev.opsctl.app.SshFlags;
import dev.opsctl.target.ssh.SshConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How the hosts of a run are reached over SSH when ~/.ssh is not the whole story: another ssh
 * config, known_hosts files, keys, no agent. The same options as {@code opsctl exec}.
 */
final class SshOptionsMixin {
    @Option(names = "--ssh-config", paramLabel = "FILE", description = "OpenSSH client config, as ssh -F ('none': no config; default: ~/.ssh/config, then /etc/ssh/ssh_config).")
    Path sshConfig;

    @Option(names = "--known-hosts", paramLabel = "FILE",
            description = "known_hosts file to use instead of ~/.ssh/known_hosts (repeatable).")
    List<Path> knownHosts = new ArrayList<>();

    @Option(names = "--accept-new-host-keys",
            description = "Record the keys of hosts not yet in known_hosts (never accepts a changed key).")
    boolean acceptNewHostKeys;

    @Option(names = "--identity", paramLabel = "FILE",
            description = "Private key to try, before those of the ssh config (repeatable).")
    List<Path> identities = new ArrayList<>();

    @Option(names = "--no-agent", description = "Do not use ssh-agent.")
    boolean noAgent;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Give up connecting to a host (TCP connect and SSH handshake) after this long (default: 10s).")
    Duration connectTimeout;

    @Mixin
    KeyPassphraseMixin keyPassphrase = new KeyPassphraseMixin();

    /** The flags with relative paths resolved against the working directory of {@code env}. */
    SshFlags flags(CliEnv env) {
        return new SshFlags(Optional.ofNullable(sshConfig).map(p -> SshConfig.isNone(p) ? p : resolve(env, p)),
                knownHosts.stream().map(p -> resolve(env, p)).toList(), acceptNewHostKeys,
                identities.stream().map(p -> resolve(env, p)).toList(), !noAgent, Optional.ofNullable(connectTimeout),
                keyPassphrase.supplier(env, false));
    }

    private static Path resolve(CliEnv env, Path p) {
        return env.resolve(p.toString());
    }
}
