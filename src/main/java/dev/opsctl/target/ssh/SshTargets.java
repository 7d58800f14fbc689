package dev.opsctl.target.ssh;

import dev.opsctl.source.Durations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Builds {@link SshTarget}s: resolves what to connect to and how from the inventory's values
 * (which win, as {@code ssh -p/-l/-i} would), the ssh config and the operator's options.
 */
public final class SshTargets {
    private static final List<String> DEFAULT_KEYS = List.of("id_ed25519", "id_ecdsa", "id_rsa");

    private SshTargets() {}

    /**
     * Builds what every first connection needs and no host decides: sshj's algorithm lists, whose
     * construction test-initialises every cipher it knows (~0.1 s of a cold start). A caller with
     * an idle core does this while it reads its runbook; the first connection then finds it built.
     */
    public static void prepare() {
        SshConnector.config();
        // sshj names each connection's reader thread with String.format: the first call loads the
        // locale's number formats (~20 ms alone), and a fan-out's first connections all waited for it
        String.format("%d", 0L);
    }

    /**
     * Keep every SSH connection of this process open for {@code idle} after its last host let go
     * of it, for the next command on the same host to reuse (the incident shell); zero, the
     * default, closes connections when their command ends, and closes those kept.
     */
    public static void keepConnections(Duration idle) {
        IdleConnections.keep(idle);
    }

    /** How long unused connections are kept ({@link #keepConnections}). */
    public static Duration connectionsKeptFor() {
        return IdleConnections.keptFor();
    }

    /** How many unused connections are kept now. */
    public static int keptConnections() {
        return IdleConnections.count();
    }

    /** Closes the unused connections kept now; returns how many there were. */
    public static int closeKeptConnections() {
        return IdleConnections.closeAll();
    }

    /**
     * A target for one inventory host. {@code address} is what the inventory says to connect to
     * (ansible_host, else the name); it is also the name matched against {@code Host} patterns.
     */
    public static SshTarget target(String name, String address, Optional<Integer> port, Optional<String> user,
            Optional<String> identityFile, SshConfig config, SshOptions options) {
        return new SshTarget(settings(name, address, port, user, identityFile, config, options));
    }

    public static SshTarget target(SshSettings settings) {
        return new SshTarget(settings);
    }

    public static SshSettings settings(String name, String address, Optional<Integer> port, Optional<String> user,
            Optional<String> identityFile, SshConfig config, SshOptions options) {
        Map<String, List<String>> cfg = config.resolve(address);
        SshSettings s = hop(name, address, port, user, identityFile, cfg, options);
        String jump = first(cfg, "proxyjump").orElse("none");
        if (jump.equalsIgnoreCase("none")) {
            return s;
        }
        List<SshSettings> hops = new ArrayList<>();
        for (String spec : jump.split(",")) {
            JumpSpec j = JumpSpec.parse(spec.strip());
            hops.add(hop(j.host(), j.host(), j.port(), j.user(), Optional.empty(), config.resolve(j.host()), options));
        }
        return s.withJumps(hops);
    }

    private static SshSettings hop(String name, String address, Optional<Integer> port, Optional<String> user,
            Optional<String> identityFile, Map<String, List<String>> cfg, SshOptions o) {
        String hostName = first(cfg, "hostname").map(h -> h.replace("%h", address)).orElse(address);
        int p = port.or(() -> first(cfg, "port").flatMap(SshTargets::integer)).orElse(22);
        String u = user.or(() -> first(cfg, "user")).orElse(o.localUser());

        List<Path> ids = new ArrayList<>();
        identityFile.ifPresent(f -> ids.add(expand(f, o, address, u)));
        o.identityFiles().forEach(ids::add);
        cfg.getOrDefault("identityfile", List.of()).forEach(f -> ids.add(expand(f, o, address, u)));
        if (ids.isEmpty()) {
            DEFAULT_KEYS.stream().map(k -> o.home().resolve(".ssh").resolve(k)).filter(Files::isReadable).forEach(ids::add);
        }

        List<Path> known = new ArrayList<>(o.knownHostsFiles());
        if (known.isEmpty()) {
            first(cfg, "userknownhostsfile").ifPresent(v -> {
                for (String f : v.split("\\s+")) {
                    known.add(expand(f, o, address, u));
                }
            });
        }
        if (known.isEmpty()) {
            known.add(o.home().resolve(".ssh/known_hosts"));
        }
        boolean acceptNew = o.acceptNewHostKeys()
                || first(cfg, "stricthostkeychecking").map(v -> v.toLowerCase(Locale.ROOT).equals("accept-new")).orElse(false);

        Optional<Path> agent = first(cfg, "identityagent")
                .filter(v -> !v.equalsIgnoreCase("SSH_AUTH_SOCK"))
                .map(v -> v.equalsIgnoreCase("none") ? Optional.<Path>empty() : Optional.of(expand(v, o, address, u)))
                .orElse(o.agentSocket());
        boolean identitiesOnly = first(cfg, "identitiesonly").map(v -> v.equalsIgnoreCase("yes")).orElse(false);
        boolean useAgent = o.useAgent() && agent.isPresent() && !identitiesOnly;

        Duration connect = o.connectTimeout()
                .or(() -> first(cfg, "connecttimeout").flatMap(Durations::parse))
                .orElse(SshSettings.DEFAULT_CONNECT_TIMEOUT);
        Duration alive = o.serverAliveInterval()
                .or(() -> first(cfg, "serveraliveinterval").flatMap(Durations::parse))
                .orElse(SshSettings.DEFAULT_SERVER_ALIVE_INTERVAL);
        return new SshSettings(name, hostName, p, u, ids, useAgent, agent, List.of(), known, acceptNew, connect, alive,
                o.passphrases());
    }

    private static Optional<String> first(Map<String, List<String>> cfg, String key) {
        List<String> v = cfg.get(key);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    private static Optional<Integer> integer(String s) {
        try {
            return Optional.of(Integer.parseInt(s.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** {@code ~} and the common OpenSSH tokens: %d home, %u local user, %h host, %r remote user, %% percent. */
    static Path expand(String f, SshOptions o, String host, String remoteUser) {
        String s = f;
        if (s.equals("~") || s.startsWith("~/")) {
            s = o.home() + s.substring(1);
        }
        s = s.replace("%d", o.home().toString()).replace("%u", o.localUser()).replace("%h", host)
                .replace("%r", remoteUser).replace("%%", "%");
        return o.workingDir().resolve(s).normalize();
    }

    /** One ProxyJump hop: {@code [user@]host[:port]}, or {@code [user@][ipv6]:port}. */
    record JumpSpec(Optional<String> user, String host, Optional<Integer> port) {
        static JumpSpec parse(String spec) {
            String s = spec.startsWith("ssh://") ? spec.substring(6) : spec;
            Optional<String> user = Optional.empty();
            int at = s.lastIndexOf('@');
            if (at >= 0) {
                user = Optional.of(s.substring(0, at));
                s = s.substring(at + 1);
            }
            Optional<Integer> port = Optional.empty();
            if (s.startsWith("[") && s.contains("]")) {
                int close = s.indexOf(']');
                if (s.length() > close + 1 && s.charAt(close + 1) == ':') {
                    port = integer(s.substring(close + 2));
                }
                s = s.substring(1, close);
            } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
                port = integer(s.substring(s.indexOf(':') + 1));
                s = s.substring(0, s.indexOf(':'));
            }
            return new JumpSpec(user, s, port);
        }
    }
}
