package dev.opsctl.target.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything needed to reach one host over SSH, already resolved from the inventory, the ssh
 * config and the command line. {@code jumps} are the ProxyJump hops in order (each reached
 * through the previous one, a jump host's own ProxyJump already among them); a hop's own
 * {@code jumps} are ignored. {@code identitiesOnly}: the agent signs only for keys that are also
 * among {@code identityFiles}. {@code refusal}: why opsctl will not connect to this host as
 * configured (a ProxyCommand, a token it cannot expand), reported as the host's failure.
 * {@code serverAliveInterval} and {@code serverAliveCountMax}: OpenSSH's, see {@link ServerAlive}.
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
        HostKeys hostKeys,
        Duration connectTimeout,
        Duration serverAliveInterval,
        PasswordSupplier passphrases,
        boolean identitiesOnly,
        Optional<String> refusal,
        int serverAliveCountMax) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_SERVER_ALIVE_INTERVAL = Duration.ofSeconds(30);
    /** OpenSSH's default ServerAliveCountMax. */
    public static final int DEFAULT_SERVER_ALIVE_COUNT_MAX = 3;
    /** {@code ConnectTimeout 0}: no limit of opsctl's own, as in OpenSSH (the system's TCP timeout still applies). */
    public static final Duration NO_CONNECT_TIMEOUT = Duration.ofMillis(Integer.MAX_VALUE);

    public SshSettings {
        identityFiles = List.copyOf(identityFiles);
        if (serverAliveCountMax < 0) {
            throw new IllegalArgumentException("serverAliveCountMax " + serverAliveCountMax + " < 0");
        }
        jumps = List.copyOf(jumps);
    }

    /** Settings checked against the user's known_hosts files only, with no refusal. */
    public SshSettings(String name, String hostName, int port, String user, List<Path> identityFiles, boolean useAgent,
            Optional<Path> agentSocket, List<SshSettings> jumps, List<Path> knownHostsFiles, boolean acceptNewHostKeys,
            Duration connectTimeout, Duration serverAliveInterval, PasswordSupplier passphrases) {
        this(name, hostName, port, user, identityFiles, useAgent, agentSocket, jumps,
                HostKeys.userFilesOnly(knownHostsFiles, acceptNewHostKeys), connectTimeout, serverAliveInterval, passphrases,
                false, Optional.empty(), DEFAULT_SERVER_ALIVE_COUNT_MAX);
    }

    /** The user's known_hosts files; accept-new records into the first. */
    public List<Path> knownHostsFiles() {
        return hostKeys.userFiles();
    }

    public boolean acceptNewHostKeys() {
        return hostKeys.acceptNew();
    }

    /** {@code user@host:port}, as shown in messages. */
    public String endpoint() {
        return user + "@" + hostName + ":" + port;
    }

    /** The same settings, refused for {@code why}: connecting fails with it and reaches nothing. */
    public SshSettings withRefusal(String why) {
        return new SshSettings(name, hostName, port, user, identityFiles, useAgent, agentSocket, jumps, hostKeys,
                connectTimeout, serverAliveInterval, passphrases, identitiesOnly, Optional.of(why), serverAliveCountMax);
    }

    /** The same settings with another connect timeout for this host (its jump hosts keep theirs). */
    public SshSettings withConnectTimeout(Duration timeout) {
        return new SshSettings(name, hostName, port, user, identityFiles, useAgent, agentSocket, jumps, hostKeys,
                timeout, serverAliveInterval, passphrases, identitiesOnly, refusal, serverAliveCountMax);
    }

    public SshSettings withJumps(List<SshSettings> hops) {
        return new SshSettings(name, hostName, port, user, identityFiles, useAgent, agentSocket, hops, hostKeys,
                connectTimeout, serverAliveInterval, passphrases, identitiesOnly, refusal, serverAliveCountMax);
    }

    /** The same settings with OpenSSH's ServerAliveCountMax {@code count}. */
    public SshSettings withServerAliveCountMax(int count) {
        return new SshSettings(name, hostName, port, user, identityFiles, useAgent, agentSocket, jumps, hostKeys,
                connectTimeout, serverAliveInterval, passphrases, identitiesOnly, refusal, count);
    }
}
