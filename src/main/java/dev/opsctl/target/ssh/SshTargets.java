package dev.opsctl.target.ssh;

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
    /**
     * OpenSSH 9.2's default IdentityFiles that opsctl can sign with, in ssh's order (id_rsa first):
     * with more than one authorized, the order decides which key logs in (its authorized_keys
     * options apply) and whether an encrypted one's passphrase is asked at all.
     */
    private static final List<String> DEFAULT_KEYS = List.of("id_rsa", "id_ecdsa", "id_ed25519");

    /** OpenSSH's UserKnownHostsFile default: both are read, accept-new records into the first. */
    private static final List<String> USER_KNOWN_HOSTS = List.of(".ssh/known_hosts", ".ssh/known_hosts2");

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
        Map<String, List<String>> cfg;
        try {
            cfg = config.resolve(address, user, options.localUser());
        } catch (ConfigRefusal e) {
            return refused(hop(name, address, port, user, identityFile, Map.of(), config, options, true), config, e.getMessage());
        }
        SshSettings s = hop(name, address, port, user, identityFile, cfg, config, options, true);
        try {
            return s.withJumps(jumps(cfg, config, options, 1));
        } catch (ConfigRefusal e) {
            return refused(s, config, e.getMessage());
        }
    }

    /** A chain no real one is longer than: a longer one loops (a ProxyJump b, b ProxyJump a). */
    static final int MAX_HOPS = 16;

    /**
     * The hops of a ProxyJump value, as OpenSSH makes them: for {@code a,b} it runs
     * {@code ssh -J a -W %h:%p b}, so the first hop's own ProxyJump (and ProxyCommand) apply, and
     * the other hops' do not.
     */
    private static List<SshSettings> jumps(Map<String, List<String>> cfg, SshConfig config, SshOptions o, int depth) {
        String jump = first(cfg, "proxyjump").orElse("none");
        if (jump.equalsIgnoreCase("none")) {
            return List.of();
        }
        if (depth > MAX_HOPS) {
            throw new ConfigRefusal("its ProxyJump chain is longer than " + MAX_HOPS + " hops; the jump hosts' own"
                    + " ProxyJump lines loop");
        }
        List<SshSettings> hops = new ArrayList<>();
        String[] specs = jump.split(",");
        for (int i = 0; i < specs.length; i++) {
            JumpSpec j = JumpSpec.parse(specs[i].strip());
            Map<String, List<String>> own = config.resolve(j.host(), j.user(), o.localUser());
            boolean first = i == 0;
            if (first) {
                hops.addAll(jumps(own, config, o, depth + 1));
            }
            hops.add(hop(j.host(), j.host(), j.port(), j.user(), Optional.empty(), own, config, o, first));
        }
        return hops;
    }

    private static SshSettings refused(SshSettings s, SshConfig config, String why) {
        return s.withRefusal("the ssh config '" + config.file() + "' for '" + s.name() + "': " + why);
    }

    /** One host or hop; {@code routeFromConfig}: whether its own ProxyCommand would be used (not a later hop's). */
    private static SshSettings hop(String name, String address, Optional<Integer> port, Optional<String> user,
            Optional<String> identityFile, Map<String, List<String>> cfg, SshConfig config, SshOptions o,
            boolean routeFromConfig) {
        Optional<String> refusal = Optional.empty();
        String hostName = address;
        try {
            hostName = first(cfg, "hostname").map(h -> ConfigTokens.hostName(h, address)).orElse(address);
            hostName = NumericHost.canonical(hostName).orElse(hostName); // as ssh writes an address once read: 127.1 is 127.0.0.1
        } catch (ConfigRefusal e) {
            refusal = Optional.of(e.getMessage());
        }
        int p = port.or(() -> first(cfg, "port").flatMap(KeywordValues::port)).orElse(22);
        String u = user.or(() -> first(cfg, "user")).orElse(o.localUser());
        // OpenSSH lower-cases the alias: a hashed known_hosts line is of that form
        Optional<String> alias = first(cfg, "hostkeyalias").map(a -> a.toLowerCase(Locale.ROOT)); // "none" too, as in ssh
        Optional<String> lastJump = first(cfg, "proxyjump").filter(j -> !j.equalsIgnoreCase("none"))
                .map(j -> JumpSpec.parse(j.substring(j.lastIndexOf(',') + 1).strip()).host());
        String tokenHost = NumericHost.isAddress(hostName) ? hostName : hostName.toLowerCase(Locale.ROOT); // %h as ssh has it
        ConfigTokens tokens = new ConfigTokens(o.home(), o.localUser(), address, tokenHost, p, u, alias,
                lastJump.orElse(""));
        boolean acceptNew = o.acceptNewHostKeys()
                || first(cfg, "stricthostkeychecking").map(v -> v.toLowerCase(Locale.ROOT).equals("accept-new")).orElse(false);
        Optional<Duration> configured = o.connectTimeout().or(() -> first(cfg, "connecttimeout").flatMap(SshTargets::seconds));
        Duration connect = configured.map(d -> d.isZero() ? SshSettings.NO_CONNECT_TIMEOUT : d)
                .orElse(SshSettings.DEFAULT_CONNECT_TIMEOUT);
        Duration alive = o.serverAliveInterval()
                .or(() -> first(cfg, "serveraliveinterval").flatMap(SshTargets::seconds))
                .orElse(SshSettings.DEFAULT_SERVER_ALIVE_INTERVAL);
        boolean hashRecorded = first(cfg, "hashknownhosts").map(KeywordValues::yes).orElse(false);
        boolean identitiesOnly = first(cfg, "identitiesonly").map(KeywordValues::yes).orElse(false);

        List<Path> ids = new ArrayList<>();
        List<Path> known = new ArrayList<>(o.knownHostsFiles());
        List<Path> global = new ArrayList<>(HostKeys.SYSTEM_FILES);
        Optional<Path> agent = o.agentSocket();
        try {
            identityFile.ifPresent(f -> ids.add(path(tokens.expand("ansible_ssh_private_key_file", f), o)));
            ids.addAll(o.identityFiles());
            for (String f : cfg.getOrDefault("identityfile", List.of())) {
                if (!f.equalsIgnoreCase("none")) {
                    ids.add(path(tokens.expand("IdentityFile", f), o));
                }
            }
            if (known.isEmpty()) {
                known.addAll(files(cfg, "userknownhostsfile", tokens, o)
                        .orElse(USER_KNOWN_HOSTS.stream().map(f -> o.home().resolve(f)).toList()));
            }
            files(cfg, "globalknownhostsfile", tokens, o).ifPresent(g -> {
                global.clear();
                global.addAll(g);
            });
            Optional<String> agentValue = first(cfg, "identityagent").filter(v -> !v.equalsIgnoreCase("SSH_AUTH_SOCK"));
            if (agentValue.isPresent()) {
                agent = agentValue.get().equalsIgnoreCase("none") ? Optional.empty()
                        : Optional.of(path(tokens.expand("IdentityAgent", agentValue.get()), o));
            }
        } catch (ConfigRefusal e) {
            refusal = refusal.or(() -> Optional.of(e.getMessage()));
        }
        // as in OpenSSH, any IdentityFile named anywhere, 'none' included, stops the default keys
        boolean named = identityFile.isPresent() || !o.identityFiles().isEmpty() || cfg.containsKey("identityfile");
        if (!named) {
            DEFAULT_KEYS.stream().map(k -> o.home().resolve(".ssh").resolve(k)).filter(Files::isReadable).forEach(ids::add);
        }
        Optional<String> proxyCommand = first(cfg, "proxycommand").filter(c -> routeFromConfig && !c.equalsIgnoreCase("none"));
        Optional<String> revoked = first(cfg, "revokedhostkeys").filter(r -> !r.equalsIgnoreCase("none"));
        if (revoked.isPresent()) {
            refusal = Optional.of("'RevokedHostKeys " + revoked.get() + "' is not supported by opsctl, and a revoked key must"
                    + " not be trusted; mark the keys '@revoked' in a known_hosts file instead, or give the host"
                    + " 'RevokedHostKeys none'");
        }
        if (first(cfg, "refuseconnection").map(KeywordValues::yes).orElse(false)) {
            refusal = Optional.of("it says 'RefuseConnection yes': no connection is made to it");
        }
        if (proxyCommand.isPresent()) {
            refusal = Optional.of("it is reached with 'ProxyCommand " + proxyCommand.get() + "', which opsctl does not run;"
                    + " write it as ProxyJump ('ProxyCommand ssh -W %h:%p bastion' is 'ProxyJump bastion'), or give the host"
                    + " 'ProxyCommand none'");
        }
        SshSettings s = new SshSettings(name, hostName, p, u, ids, o.useAgent() && agent.isPresent(), agent, List.of(),
                new HostKeys(known, global, alias, acceptNew, hashRecorded), connect, alive, o.passphrases(), identitiesOnly, Optional.empty(),
                first(cfg, "serveralivecountmax").flatMap(KeywordValues::count).orElse(SshSettings.DEFAULT_SERVER_ALIVE_COUNT_MAX));
        return refusal.isPresent() ? refused(s, config, refusal.get()) : s;
    }

    /** A list of files (UserKnownHostsFile, GlobalKnownHostsFile); {@code none} is no file at all. */
    private static Optional<List<Path>> files(Map<String, List<String>> cfg, String key, ConfigTokens tokens, SshOptions o) {
        return first(cfg, key).map(v -> {
            if (v.equalsIgnoreCase("none")) {
                return List.of();
            }
            List<Path> out = new ArrayList<>();
            for (String f : v.split(SshConfig.FILE_SEPARATOR)) {
                // ssh expands %-tokens in the user's files only; in the system's, only ~
                out.add(path(key.equals("userknownhostsfile") ? tokens.expand("UserKnownHostsFile", f) : tilde(f, o.home()), o));
            }
            return out;
        });
    }

    private static String tilde(String file, Path home) {
        return file.equals("~") || file.startsWith("~/") ? home + file.substring(1) : file;
    }

    private static Path path(String expanded, SshOptions o) {
        return o.workingDir().resolve(expanded).normalize();
    }

    private static Optional<String> first(Map<String, List<String>> cfg, String key) {
        List<String> v = cfg.get(key);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    private static Optional<Duration> seconds(String value) {
        return KeywordValues.seconds(value).map(Duration::ofSeconds);
    }

    /**
     * One ProxyJump hop: {@code [user@]host[:port]}, or {@code [user@][ipv6]:port}; in
     * {@code ssh://user;params@host}, as parse_uri reads it, the user ends at the first {@code @},
     * its {@code ;params} are dropped and it is percent-decoded; a {@code /} may end it, and a
     * {@code .} its host.
     */
    record JumpSpec(Optional<String> user, String host, Optional<Integer> port) {
        static JumpSpec parse(String spec) {
            boolean uri = spec.startsWith("ssh://");
            String s = uri ? spec.substring(6) : spec;
            if (uri && s.endsWith("/")) {
                s = s.substring(0, s.length() - 1);
            }
            Optional<String> user = Optional.empty();
            int at = uri ? s.indexOf('@') : s.lastIndexOf('@');
            if (at >= 0) {
                String written = s.substring(0, at);
                user = uri ? ProxyJumpSyntax.uriUser(written) : Optional.of(written);
                s = s.substring(at + 1);
            }
            Optional<Integer> port = Optional.empty();
            if (s.startsWith("[") && s.contains("]")) {
                int close = s.indexOf(']');
                if (s.length() > close + 1 && s.charAt(close + 1) == ':') {
                    port = KeywordValues.port(s.substring(close + 2));
                }
                s = s.substring(1, close);
            } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
                port = KeywordValues.port(s.substring(s.indexOf(':') + 1));
                s = s.substring(0, s.indexOf(':'));
            }
            return new JumpSpec(user, uri && s.endsWith(".") ? s.substring(0, s.length() - 1) : s, port); // valid_domain
        }
    }
}
