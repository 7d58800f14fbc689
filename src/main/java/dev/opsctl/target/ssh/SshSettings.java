package dev.opsctl.target.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything needed to reach one host over SSH, already resolved from the inventory, the ssh
 * config and the command line. {@code jumps} are the ProxyJump hops in order (each reached
 * through the previous one); a hop's own {@code jumps} are ignored.
 */
public record SshSettings(
        String name,
        String hostName,
        int port,
        String user,
        List<Path> identityFiles,
        boolean useAgent,
        Optional<Path> agentSocket,
        List<SshSettings> jumps,
        List<Path> knownHostsFiles,
        boolean acceptNewHostKeys,
        Duration connectTimeout,
        Duration serverAliveInterval,
        PasswordSupplier passphrases) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_SERVER_ALIVE_INTERVAL = Duration.ofSeconds(30);

    public SshSettings {
        identityFiles = List.copyOf(identityFiles);
        jumps = List.copyOf(jumps);
        knownHostsFiles = List.copyOf(knownHostsFiles);
    }

    /** {@code user@host:port}, as shown in messages. */
    public String endpoint() {
        return user + "@" + hostName + ":" + port;
    }

    public SshSettings withJumps(List<SshSettings> hops) {
        return new SshSettings(name, hostName, port, user, identityFiles, useAgent, agentSocket, hops, knownHostsFiles,
                acceptNewHostKeys, connectTimeout, serverAliveInterval, passphrases);
    }
}
