package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated configs ({@link SshConfigGrammar}) read by opsctl and by the real {@code ssh -G}
 * (OpenSSH 9.2 here): both accept or both refuse each config for each host, and when both accept,
 * every setting opsctl connects with is the one ssh would use, save the departures the README
 * documents (ProxyCommand, Match exec and what opsctl cannot expand are refused; its own default
 * timeouts; IgnoreUnknown read for every host). {@code -Dsshfuzz.seed=N} and
 * {@code -Dsshfuzz.configs=N} replay a failure.
 */
class GeneratedSshConfigsAgainstOpenSshTest {
    private static final long SEED = Long.getLong("sshfuzz.seed", 20240611L);
    private static final int CONFIGS = Integer.getInteger("sshfuzz.configs", 300);
    private static final String LOCAL_USER = SshConfigGrammar.LOCAL_USER;
    /** The home ssh expands {@code ~} and {@code %d} with (the passwd entry's); $HOME only anchors Include. */
    private static final Path PASSWD_HOME = Path.of(System.getProperty("user.home"));
    private static final Path CWD = Path.of("").toAbsolutePath();

    @TempDir
    static Path dir;

    @BeforeAll
    static void sshIsInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ssh")), "OpenSSH's client is not installed");
    }

    @Test
    void opsctlReadsGeneratedConfigsAsSshDoes() throws Exception {
        System.out.println("GeneratedSshConfigsAgainstOpenSshTest: seed " + SEED + ", " + CONFIGS + " configs");
        AtomicInteger pairs = new AtomicInteger();
        List<String> failures = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int i = 0; i < CONFIGS; i++) {
                SshConfigGrammar.Case c = new SshConfigGrammar(SEED + i).generate();
                results.add(pool.submit(() -> check(c, pairs)));
            }
            for (Future<List<String>> r : results) {
                failures.addAll(r.get());
            }
        } finally {
            pool.shutdownNow();
        }
        Files.writeString(Path.of("target/generated-ssh-configs-differences.txt"), String.join("\n\n", failures));
        System.out.println("GeneratedSshConfigsAgainstOpenSshTest: " + pairs + " config/host pairs, " + failures.size()
                + " differ");
        assertTrue(failures.isEmpty(), failures.size() + " of " + pairs + " config/host pairs differ from ssh -G:\n\n"
                + String.join("\n\n", failures.subList(0, Math.min(8, failures.size()))));
    }

    private static List<String> check(SshConfigGrammar.Case c, AtomicInteger pairs) throws Exception {
        Path caseDir = Files.createDirectories(dir.resolve("s" + c.seed()));
        Path home = Files.createDirectories(caseDir.resolve("home"));
        for (Map.Entry<String, String> inc : c.includes().entrySet()) {
            Path f = home.resolve(".ssh").resolve(inc.getKey());
            Files.createDirectories(f.getParent());
            Files.writeString(f, withHome(inc.getValue(), home));
        }
        Path cfg = Files.writeString(caseDir.resolve("config"), withHome(c.config(), home));
        List<String> out = new ArrayList<>();
        for (SshConfigGrammar.Query q : c.queries()) {
            pairs.incrementAndGet();
            Ssh ssh = sshG(cfg, home, q);
            Optional<String> difference;
            try {
                difference = compare(c, cfg, home, q, ssh);
            } catch (RuntimeException e) {
                difference = Optional.of("opsctl threw " + e);
            }
            difference.ifPresent(d -> out.add(c.shown() + "--- host " + q.shown() + "\n" + d + "\nssh -G said: "
                    + (ssh.accepted() ? compared(ssh.settings()) : "exit " + ssh.exit() + ": " + ssh.stderr().strip())));
        }
        return out;
    }

    private static final List<String> COMPARED = List.of("hostname", "user", "port", "identityfile", "proxyjump",
            "proxycommand", "connecttimeout", "serveraliveinterval", "userknownhostsfile", "globalknownhostsfile",
            "stricthostkeychecking", "hostkeyalias", "identitiesonly");

    private static Map<String, String> compared(Map<String, String> settings) {
        Map<String, String> out = new LinkedHashMap<>();
        COMPARED.stream().filter(settings::containsKey).forEach(k -> out.put(k, settings.get(k)));
        return out;
    }

    private static String withHome(String text, Path home) {
        return text.replace("@HOME@", home.toString());
    }

    /** What differs between ssh's reading and opsctl's, if anything. */
    private static Optional<String> compare(SshConfigGrammar.Case c, Path cfg, Path home, SshConfigGrammar.Query q, Ssh ssh) {
        SshConfig config;
        try {
            config = SshConfig.standard(Optional.of(cfg), home, cfg.resolveSibling("no-system-file"));
        } catch (IOException | IllegalArgumentException e) {
            boolean deliberate = e.getMessage().contains("as a service name"); // opsctl looks no port name up
            return ssh.accepted() && !deliberate ? Optional.of("opsctl refused the config, ssh accepted it: " + e.getMessage())
                    : Optional.empty();
        }
        SshOptions options = new SshOptions(PASSWD_HOME, LOCAL_USER, List.of(), false, List.of(), false, Optional.empty(),
                Optional.empty(), Optional.empty(), PasswordSupplier.NONE);
        SshSettings s = SshTargets.settings(q.host(), q.host(), Optional.empty(), q.user(), Optional.empty(), config, options);
        if (!ssh.accepted()) {
            if (s.refusal().isPresent() || sshRefusesWhatOpsctlDeliberatelyReads(ssh, c) || ssh.stderr().contains("unknown key %j")) {
                return Optional.empty();
            }
            return Optional.of("opsctl accepted it, ssh refused it");
        }
        if (s.refusal().isPresent()) {
            return deliberateRefusal(s.refusal().get(), ssh) ? Optional.empty()
                    : Optional.of("opsctl refused the host, ssh accepted it: " + s.refusal().get());
        }
        Map<String, List<String>> ours = config.resolve(q.host(), q.user(), LOCAL_USER);
        List<String> differences = new ArrayList<>();
        Map<String, String> sshSays = ssh.settings();
        String hostName = NumericHost.isAddress(s.hostName()) ? s.hostName() : s.hostName().toLowerCase(Locale.ROOT);
        same(differences, "hostname", sshSays.get("hostname"), hostName);
        same(differences, "user", sshSays.get("user"), s.user());
        same(differences, "port", sshSays.get("port"), String.valueOf(s.port()));
        same(differences, "identityfile", sshSays.get("identityfile"), ours.containsKey("identityfile")
                ? String.join("\n", ours.get("identityfile")) : DEFAULT_KEYS);
        same(differences, "proxyjump", jumps(sshSays.get("proxyjump")), ours.containsKey("proxyjump")
                ? jumps(ours.get("proxyjump").get(0)) : jumps(null));
        same(differences, "connecttimeout", connectTimeout(sshSays.get("connecttimeout")), s.connectTimeout());
        same(differences, "serveraliveinterval", serverAlive(sshSays.get("serveraliveinterval"), ours), s.serverAliveInterval());
        same(differences, "userknownhostsfile", connectionHash(noneIsEmpty(sshSays.get("userknownhostsfile")), s),
                connectionHash(shown(s.knownHostsFiles()), s));
        same(differences, "globalknownhostsfile", globalFiles(sshSays.get("globalknownhostsfile")),
                shown(s.hostKeys().globalFiles()));
        same(differences, "stricthostkeychecking accept-new", "accept-new".equals(sshSays.get("stricthostkeychecking")),
                s.acceptNewHostKeys());
        same(differences, "hostkeyalias", Optional.ofNullable(sshSays.get("hostkeyalias")), s.hostKeys().alias());
        same(differences, "identitiesonly", "yes".equals(sshSays.get("identitiesonly")), s.identitiesOnly());
        return differences.isEmpty() ? Optional.empty() : Optional.of(String.join("\n", differences));
    }

    private static final String DEFAULT_KEYS = String.join("\n", List.of("~/.ssh/id_rsa", "~/.ssh/id_ecdsa",
            "~/.ssh/id_ecdsa_sk", "~/.ssh/id_ed25519", "~/.ssh/id_ed25519_sk", "~/.ssh/id_xmss", "~/.ssh/id_dsa"));

    private static void same(List<String> differences, String what, Object ssh, Object opsctl) {
        if (!ssh.equals(opsctl)) {
            differences.add(what + ": ssh " + ssh + ", opsctl " + opsctl);
        }
    }

    /**
     * Refusals the README documents: opsctl runs no ProxyCommand and no Match exec, expands no
     * environment variable, and refuses an IdentityFile with a token ssh would stop on when it
     * loads the key (ssh -G prints IdentityFile unexpanded); a jump loop.
     */
    private static boolean deliberateRefusal(String why, Ssh ssh) {
        String proxyCommand = ssh.settings().getOrDefault("proxycommand", "none");
        Matcher token = UNKNOWN_TOKEN.matcher(why);
        return why.contains("'ProxyCommand ") && !proxyCommand.equals("none") && !ssh.settings().containsKey("proxyjump")
                || why.contains("'Match ") && why.contains("exec")
                || why.contains(": IdentityFile '") && (token.find() && SSH_TOKENS.indexOf(token.group(1)) < 0
                        || why.contains("ends with a lone '%'"))
                || why.contains("names an environment variable")
                || why.contains("ProxyJump chain is longer"); // ssh would stop on the loop when it connects the jump
    }

    private static final Pattern UNKNOWN_TOKEN = Pattern.compile("has the token '%(.)', which opsctl does not know");
    /** OpenSSH 9.2's tokens for IdentityFile (DEFAULT_CLIENT_PERCENT_EXPAND_ARGS and %%). */
    private static final String SSH_TOKENS = "CLiklnpdhru%";

    private static final Pattern BAD_OPTION = Pattern.compile("Bad configuration option: (\\S+)");

    /**
     * ssh honours an IgnoreUnknown only in a block that applies to the host; opsctl reads the
     * config once for every host and honours every IgnoreUnknown above the keyword.
     */
    private static boolean sshRefusesWhatOpsctlDeliberatelyReads(Ssh ssh, SshConfigGrammar.Case c) {
        Matcher bad = BAD_OPTION.matcher(ssh.stderr());
        if (!bad.find() || ssh.stderr().lines().filter(l -> l.contains(" line ")).count() != 1) {
            return false;
        }
        Matcher ignore = IGNORE_UNKNOWN.matcher(c.config() + String.join("\n", c.includes().values()));
        while (ignore.find()) {
            if (SshConfig.matches(List.of(ignore.group(1)), bad.group(1))) {
                return true;
            }
        }
        return false;
    }

    private static final Pattern IGNORE_UNKNOWN = Pattern.compile("(?i)ignoreunknown\\s*=?\\s*(\\S+)");

    private static List<List<String>> jumps(String value) {
        List<List<String>> out = new ArrayList<>();
        if (value == null || value.equalsIgnoreCase("none")) {
            return out;
        }
        for (String hop : value.split(",")) {
            SshTargets.JumpSpec j = SshTargets.JumpSpec.parse(hop.strip());
            out.add(List.of(j.user().orElse(""), j.host(), j.port().map(String::valueOf).orElse("")));
        }
        return out;
    }

    private static Duration connectTimeout(String ssh) {
        if (ssh.equals("none")) {
            return SshSettings.DEFAULT_CONNECT_TIMEOUT;
        }
        long seconds = Long.parseLong(ssh);
        return seconds == 0 ? SshSettings.NO_CONNECT_TIMEOUT : Duration.ofSeconds(seconds);
    }

    /** ssh's 0 is "never": opsctl's too when the config says 0; unset, opsctl's own default applies. */
    private static Duration serverAlive(String ssh, Map<String, List<String>> ours) {
        long seconds = Long.parseLong(ssh);
        if (seconds > 0) {
            return Duration.ofSeconds(seconds);
        }
        boolean saysZero = ours.containsKey("serveraliveinterval") && ours.get("serveraliveinterval").get(0).strip().equals("0");
        return saysZero ? Duration.ZERO : SshSettings.DEFAULT_SERVER_ALIVE_INTERVAL;
    }

    /** ssh -G prints GlobalKnownHostsFile as written; it expands {@code ~} only when it reads them. */
    private static String globalFiles(String ssh) {
        if (ssh == null || ssh.equals("none")) {
            return "";
        }
        List<String> out = new ArrayList<>();
        for (String f : ssh.split(" ")) {
            out.add(f.startsWith("~/") ? PASSWD_HOME + f.substring(1) : f);
        }
        return String.join(" ", out);
    }

    /** OpenSSH 9.6 added the jump host to %C's hash, as opsctl does; 9.2 hashes without it. */
    private static String connectionHash(String files, SshSettings s) {
        return s.jumps().isEmpty() ? files : files.replaceAll("[0-9a-f]{40}", "%C");
    }

    private static String noneIsEmpty(String files) {
        return files.equals("none") ? "" : files;
    }

    private static String shown(List<Path> files) {
        return String.join(" ", files.stream().map(p -> p.startsWith(CWD) ? CWD.relativize(p).toString() : p.toString())
                .toList());
    }

    record Ssh(int exit, Map<String, String> settings, String stderr) {
        boolean accepted() {
            return exit == 0;
        }
    }

    private static Ssh sshG(Path cfg, Path home, SshConfigGrammar.Query q) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/ssh", "-G", "-F", cfg.toString()));
        q.user().ifPresent(u -> cmd.addAll(List.of("-l", u)));
        cmd.add(q.host());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("HOME", home.toString()); // Include's ~ is $HOME's (glob's GLOB_TILDE)
        Path err = Files.createTempFile(home, "ssh", ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        Map<String, String> settings = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp > 0) {
                settings.merge(line.substring(0, sp), line.substring(sp + 1), (a, b) -> a + "\n" + b);
            }
        }
        String stderr = Files.readString(err);
        Files.delete(err);
        return new Ssh(exit, settings, stderr);
    }
}
