package dev.opsctl.app;

import dev.opsctl.target.ssh.PasswordSupplier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The operator's SSH choices from the command line: an ssh config other than {@code ~/.ssh/config},
 * extra known_hosts files ({@code -o UserKnownHostsFile}), whether new host keys may be recorded
 * (OpenSSH's {@code StrictHostKeyChecking=accept-new}; a changed key is never accepted), identity
 * files, ssh-agent use, the connect timeout, and where encrypted identity files' passphrases come from.
 */
public record SshFlags(
        Optional<Path> sshConfig,
        List<Path> knownHosts,
        boolean acceptNewHostKeys,
        List<Path> identities,
        boolean useAgent,
        Optional<Duration> connectTimeout,
        PasswordSupplier passphrases) {

    public static final SshFlags DEFAULT = new SshFlags(Optional.empty(), List.of(), false, List.of(), true, Optional.empty(),
            PasswordSupplier.NONE);

    public SshFlags {
        knownHosts = List.copyOf(knownHosts);
        identities = List.copyOf(identities);
    }
}
