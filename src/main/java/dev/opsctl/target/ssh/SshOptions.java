package dev.opsctl.target.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Operator-level SSH choices (command line, environment) applied to every host; the ssh config
 * and the inventory refine them per host. Empty lists mean the OpenSSH defaults
 * ({@code ~/.ssh/known_hosts}; {@code ~/.ssh/id_rsa}, {@code id_ecdsa}, {@code id_ed25519}).
 */
public record SshOptions(
        Path home,
        String localUser,
        List<Path> knownHostsFiles,
        boolean acceptNewHostKeys,
        List<Path> identityFiles,
        boolean useAgent,
        Optional<Path> agentSocket,
        Optional<Duration> connectTimeout,
        Optional<Duration> serverAliveInterval,
        PasswordSupplier passphrases,
        Path workingDir) {

    public SshOptions {
        knownHostsFiles = List.copyOf(knownHostsFiles);
        identityFiles = List.copyOf(identityFiles);
    }

    /** Relative paths (a relative IdentityFile, ansible_ssh_private_key_file) relative to this process's directory. */
    public SshOptions(Path home, String localUser, List<Path> knownHostsFiles, boolean acceptNewHostKeys, List<Path> identityFiles,
            boolean useAgent, Optional<Path> agentSocket, Optional<Duration> connectTimeout, Optional<Duration> serverAliveInterval,
            PasswordSupplier passphrases) {
        this(home, localUser, knownHostsFiles, acceptNewHostKeys, identityFiles, useAgent, agentSocket, connectTimeout,
                serverAliveInterval, passphrases, Path.of("").toAbsolutePath());
    }

    /** Relative paths of the inventory and the ssh config relative to {@code dir}: the caller's, when it is not this process's. */
    public SshOptions withWorkingDir(Path dir) {
        return new SshOptions(home, localUser, knownHostsFiles, acceptNewHostKeys, identityFiles, useAgent, agentSocket,
                connectTimeout, serverAliveInterval, passphrases, dir);
    }

    /** Defaults from this process's environment: {@code user.home}, {@code user.name}, {@code SSH_AUTH_SOCK}. */
    public static SshOptions defaults() {
        String sock = System.getenv("SSH_AUTH_SOCK");
        return new SshOptions(Path.of(System.getProperty("user.home")), System.getProperty("user.name"), List.of(), false,
                List.of(), true, sock == null || sock.isBlank() ? Optional.empty() : Optional.of(Path.of(sock)),
                Optional.empty(), Optional.empty(), PasswordSupplier.NONE);
    }

    public SshOptions withKnownHosts(List<Path> files, boolean acceptNew) {
        return new SshOptions(home, localUser, files, acceptNew, identityFiles, useAgent, agentSocket, connectTimeout,
                serverAliveInterval, passphrases, workingDir);
    }

    public SshOptions withIdentities(List<Path> files, boolean agent, Optional<Path> socket) {
        return new SshOptions(home, localUser, knownHostsFiles, acceptNewHostKeys, files, agent, socket, connectTimeout,
                serverAliveInterval, passphrases, workingDir);
    }

    public SshOptions withTimeouts(Optional<Duration> connect, Optional<Duration> serverAlive) {
        return new SshOptions(home, localUser, knownHostsFiles, acceptNewHostKeys, identityFiles, useAgent, agentSocket,
                connect, serverAlive, passphrases, workingDir);
    }

    public SshOptions withPassphrases(PasswordSupplier supplier) {
        return new SshOptions(home, localUser, knownHostsFiles, acceptNewHostKeys, identityFiles, useAgent, agentSocket,
                connectTimeout, serverAliveInterval, supplier, workingDir);
    }
}
