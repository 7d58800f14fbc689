package dev.opsctl.target.ssh;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.source.Secret;
import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.TargetException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Logging in with keys as OpenSSH 9.2's ssh does, on real sshd servers: which keys are offered, in
 * which order, how often, when the agent is asked to sign, and what a failure says.
 */
class PublickeyLoginIT {
    @RegisterExtension
    static final OpenSshServer HOST = new OpenSshServer("127.0.1.70");

    @RegisterExtension
    static final OpenSshServer STRICT_HOST = new OpenSshServer("127.0.1.71").withConfig("MaxAuthTries 2");

    /** A new key pair without a passphrase, {@code dir/name} and {@code dir/name.pub}, in a directory of its own. */
    private static Path newKey(String type, String name) throws Exception {
        Path key = Files.createTempDirectory("k").resolve(name);
        OpenSshServer.run("ssh-keygen", "-q", "-t", type, "-N", "", "-C", name, "-f", key.toString());
        return key;
    }

    private static void authorize(OpenSshServer server, String... lines) throws IOException {
        Files.writeString(server.dir().resolve("authorized_keys"), String.join("", lines), UTF_8);
    }

    private static String pub(Path key) throws IOException {
        return Files.readString(Path.of(key + ".pub"), UTF_8);
    }

    private static String fingerprint(Path pub) throws Exception {
        Process p = new ProcessBuilder("ssh-keygen", "-l", "-f", pub.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        p.waitFor();
        return out.split(" ")[1];
    }

    private static SshSettings settings(OpenSshServer server, List<Path> files, Optional<TestAgent> agent, boolean identitiesOnly) {
        return settings(server, files, agent, identitiesOnly, PasswordSupplier.NONE);
    }

    private static SshSettings settings(OpenSshServer server, List<Path> files, Optional<TestAgent> agent, boolean identitiesOnly,
            PasswordSupplier passphrases) {
        return new SshSettings(server.address(), server.address(), server.port(), OpenSshServer.USER, files, agent.isPresent(),
                agent.map(TestAgent::socket), List.of(), HostKeys.userFilesOnly(List.of(server.knownHosts()), false),
                Duration.ofSeconds(5), Duration.ofSeconds(30), passphrases, identitiesOnly, Optional.empty(), 3);
    }

    private static String whoami(SshSettings s, OpenSshServer server) throws Exception {
        try (SshTarget t = new SshTarget(s, server.dir())) {
            return t.exec(ExecRequest.of("whoami")).stdout().strip();
        }
    }

    private static TargetException failure(SshSettings s, OpenSshServer server) {
        try (SshTarget t = new SshTarget(s, server.dir())) {
            return assertThrows(TargetException.class, () -> t.exec(ExecRequest.of("true")));
        }
    }

    private static final Pattern LOGIN_LINE = Pattern.compile("^(Failed|Postponed|Accepted) publickey for .* ssh2: \\S+ (\\S+)");

    /**
     * The keys sshd was offered in {@code log}, in order, by fingerprint: one entry per offer, a
     * key it accepted once for its query and its signed request together.
     */
    private static List<String> offered(String log) {
        List<String> out = new ArrayList<>();
        String postponed = null;
        for (String line : log.lines().toList()) {
            Matcher m = LOGIN_LINE.matcher(line);
            if (!m.find()) {
                continue;
            }
            String fp = m.group(2);
            if (m.group(1).equals("Accepted") && fp.equals(postponed)) {
                postponed = null;
                continue;
            }
            out.add(fp);
            postponed = m.group(1).equals("Postponed") ? fp : null;
        }
        return out;
    }

    /** What {@code server} logged from {@code mark} on. */
    private static String since(OpenSshServer server, int mark) {
        return server.log().substring(mark);
    }

    @Test
    void anAgentKeyThatIsAnIdentityFileIsOfferedBeforeTheAgentsOtherKeys() throws Exception {
        Path key = newKey("ed25519", "id_ed25519");
        authorize(HOST, pub(key));
        try (TestAgent agent = TestAgent.start()) {
            for (int i = 1; i <= 8; i++) {
                agent.add(newKey("ed25519", "junk" + i));
            }
            agent.add(key);
            int mark = HOST.log().length();
            assertEquals(OpenSshServer.USER, whoami(settings(HOST, List.of(key), Optional.of(agent), false), HOST),
                    "ssh logs in with the agent's key 9 of 9 where sshd allows 6 tries: the IdentityFile's key goes first");
            assertEquals(List.of(fingerprint(Path.of(key + ".pub"))), offered(since(HOST, mark)));
        }
    }

    @Test
    void withIdentitiesOnlyAKeyBothInTheAgentAndInAFileIsOfferedOnce() throws Exception {
        Path junk = newKey("ed25519", "junk1");
        Path key = newKey("ed25519", "id_ed25519");
        authorize(STRICT_HOST, pub(key));
        try (TestAgent agent = TestAgent.start()) {
            agent.add(junk);
            int mark = STRICT_HOST.log().length();
            SshSettings s = settings(STRICT_HOST, List.of(junk, key), Optional.of(agent), true);
            assertEquals(OpenSshServer.USER, whoami(s, STRICT_HOST), "MaxAuthTries 2: junk1 once (by the agent), then the file");
            assertEquals(List.of(fingerprint(Path.of(junk + ".pub")), fingerprint(Path.of(key + ".pub"))),
                    offered(since(STRICT_HOST, mark)));
        }
    }

    @Test
    void aRefusedRsaKeyFileIsOfferedOnceNotOncePerSignatureAlgorithm() throws Exception {
        Path rsa = newKey("rsa", "id_rsa");
        Path key = newKey("ed25519", "id_ed25519");
        authorize(STRICT_HOST, pub(key));
        int mark = STRICT_HOST.log().length();
        assertEquals(OpenSshServer.USER, whoami(settings(STRICT_HOST, List.of(rsa, key), Optional.empty(), false), STRICT_HOST),
                "MaxAuthTries 2: the RSA key once (rsa-sha2-512), then the right key");
        assertEquals(List.of(fingerprint(Path.of(rsa + ".pub")), fingerprint(Path.of(key + ".pub"))), offered(since(STRICT_HOST, mark)));
    }

    @Test
    void agentKeysMatchingIdentityFilesGoFirstInTheAgentsOrderAsSshHasThem() throws Exception {
        Path a = newKey("ed25519", "a");
        Path b = newKey("ed25519", "b");
        Path c = newKey("ed25519", "c");
        Path file = newKey("ed25519", "file");
        authorize(HOST, pub(file));
        try (TestAgent agent = TestAgent.start()) {
            agent.add(a).add(b).add(c);
            int mark = HOST.log().length();
            // ssh -v, OpenSSH 9.2, same config: "Will attempt key: a ... explicit agent", c (explicit agent), b (agent), file
            assertEquals(OpenSshServer.USER, whoami(settings(HOST, List.of(c, file, a), Optional.of(agent), false), HOST));
            assertEquals(List.of(fingerprint(Path.of(a + ".pub")), fingerprint(Path.of(c + ".pub")), fingerprint(Path.of(b + ".pub")),
                    fingerprint(Path.of(file + ".pub"))), offered(since(HOST, mark)));
        }
    }

    @Test
    void aServerThatClosesTheLoginAtMaxAuthTriesIsAnAuthFailureNamingTheKeysTried() throws Exception {
        Path key = newKey("ed25519", "id_ed25519");
        authorize(STRICT_HOST, pub(key));
        try (TestAgent agent = TestAgent.start()) {
            agent.add(newKey("ed25519", "junk1")).add(newKey("ed25519", "junk2")).add(newKey("ed25519", "junk3"));
            TargetException e = failure(settings(STRICT_HOST, List.of(), Optional.of(agent), false), STRICT_HOST);
            assertEquals(TargetException.Kind.AUTH_FAILED, e.kind(), e.getMessage());
            String m = e.getMessage();
            assertTrue(m.contains("user 'opsctl-test' was refused by '127.0.1.71:" + STRICT_HOST.port() + "'"), m);
            assertTrue(m.contains("the server closed the login after 2 keys (its MaxAuthTries)"), m);
            assertTrue(m.contains("(junk1), agent key ED25519 ") && m.contains("(junk2); not offered: agent key ED25519 "), m);
            assertTrue(m.contains("use IdentitiesOnly yes with the right IdentityFile, or fewer agent keys"), m);
            assertFalse(m.contains("socket closed") || m.contains("unreachable"), m);
        }
    }

    @Test
    void aDsaKeyInTheAgentIsNotOfferedAsSsh92SkipsIt() throws Exception {
        Path junk = newKey("ed25519", "junk1");
        Path key = newKey("ed25519", "id_ed25519");
        authorize(STRICT_HOST, pub(key));
        try (TestAgent agent = TestAgent.start()) {
            agent.add(newKey("dsa", "old_dsa")).add(junk).add(key);
            int mark = STRICT_HOST.log().length();
            // ssh -v: "Skipping ssh-dss key old_dsa - corresponding algo not in PubkeyAcceptedAlgorithms"
            assertEquals(OpenSshServer.USER, whoami(settings(STRICT_HOST, List.of(), Optional.of(agent), false), STRICT_HOST),
                    "MaxAuthTries 2: junk1, then the right key; the DSA key would have used up the first try");
            assertEquals(List.of(fingerprint(Path.of(junk + ".pub")), fingerprint(Path.of(key + ".pub"))), offered(since(STRICT_HOST, mark)));

            authorize(STRICT_HOST, "");
            TargetException e = failure(settings(STRICT_HOST, List.of(), Optional.of(agent), false), STRICT_HOST);
            assertTrue(e.getMessage().contains("agent key DSA SHA256:") && e.getMessage().contains(
                    "(old_dsa) (not offered: OpenSSH 9.2 accepts no 'ssh-dss' keys)"), e.getMessage());
        }
    }

    @Test
    void theAgentIsAskedToSignOnlyWithTheKeyTheServerAccepts() throws Exception {
        Path key = newKey("ed25519", "id_ed25519");
        authorize(HOST, pub(key));
        try (TestAgent agent = TestAgent.start()) {
            agent.add(newKey("ed25519", "junk1"), "-c").add(newKey("ed25519", "junk2"), "-c").add(key, "-c");
            assertEquals(OpenSshServer.USER, whoami(settings(HOST, List.of(), Optional.of(agent), false), HOST));
            assertEquals(1, agent.confirmations(), "ssh-add -c: one confirmation, for the key the server accepted, as with ssh");
        }
    }

    @Test
    void aKeyFileOthersMayReadIsNotUsedNorDecoded() throws Exception {
        Path key = Files.createTempDirectory("k").resolve("id_ed25519");
        OpenSshServer.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "pass phrase", "-f", key.toString());
        authorize(HOST, pub(key));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        AtomicInteger asked = new AtomicInteger();
        PasswordSupplier pw = f -> {
            asked.incrementAndGet();
            return Optional.of(new Secret("pass phrase"));
        };
        TargetException e = failure(settings(HOST, List.of(key), Optional.empty(), false, pw), HOST);
        assertEquals(TargetException.Kind.AUTH_FAILED, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("'" + key + "' (permissions 0644 are too open; chmod 600 " + key + ")"), e.getMessage());
        assertEquals(0, asked.get(), "ssh ignores the key: no passphrase is asked for it");

        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        assertEquals(OpenSshServer.USER, whoami(settings(HOST, List.of(key), Optional.empty(), false, pw), HOST));
    }

    /** A CA key and the authorized_keys line that trusts it for the test user. */
    private static Path certificateAuthority() throws Exception {
        return newKey("ed25519", "ca");
    }

    private static String trusting(Path ca) throws IOException {
        return "cert-authority " + pub(ca);
    }

    /** Signs {@code key}'s public half with {@code ca} for the test user: {@code key-cert.pub}. */
    private static Path certify(Path ca, Path key, String validity) throws Exception {
        OpenSshServer.run("ssh-keygen", "-q", "-s", ca.toString(), "-I", "test", "-n", OpenSshServer.USER, "-V", validity,
                key + ".pub");
        return Path.of(key + "-cert.pub");
    }

    @Test
    void anRsaCertificateInTheAgentSignsWithSha512() throws Exception {
        Path ca = certificateAuthority();
        Path rsa = newKey("rsa", "id_rsa");
        certify(ca, rsa, "-5m:+1h");
        authorize(HOST, trusting(ca));
        try (TestAgent agent = TestAgent.start()) {
            agent.add(rsa);
            assertEquals(OpenSshServer.USER, whoami(settings(HOST, List.of(), Optional.of(agent), false), HOST),
                    "rsa-sha2-512-cert-v01@openssh.com, not ssh-rsa-cert-v01 (SHA-1), which OpenSSH 8.8+ refuses");
        }
    }

    @Test
    void aCertificateBesideAKeyFileIsOfferedWithTheKeyNotInsteadOfIt() throws Exception {
        Path untrusted = certificateAuthority();
        Path key = newKey("ed25519", "id_ed25519");
        certify(untrusted, key, "-5m:+1h");
        authorize(HOST, pub(key));
        assertEquals(OpenSshServer.USER, whoami(settings(HOST, List.of(key), Optional.empty(), false), HOST),
                "a certificate from a CA the server does not trust does not hide the key it certifies");

        Path ca = certificateAuthority();
        certify(ca, key, "-5m:+1h");
        authorize(HOST, trusting(ca));
        int mark = HOST.log().length();
        assertEquals(OpenSshServer.USER, whoami(settings(HOST, List.of(key), Optional.empty(), false), HOST),
                "the key, refused, then its certificate, as ssh 9.2 offers them");
        assertEquals(2, offered(since(HOST, mark)).size(), since(HOST, mark));
        assertTrue(since(HOST, mark).lines().anyMatch(l -> l.startsWith("Accepted publickey") && l.contains("ED25519-CERT")),
                since(HOST, mark));

        certify(ca, key, "-2h:-1h");
        TargetException expired = failure(settings(HOST, List.of(key), Optional.empty(), false), HOST);
        assertTrue(expired.getMessage().contains("keys tried: '" + key + "', '" + key + "' (certificate)"), expired.getMessage());
    }

    @Test
    void rsaAndEcdsaCertificateFilesLogIn() throws Exception {
        Path ca = certificateAuthority();
        authorize(HOST, trusting(ca));
        for (String type : List.of("rsa", "ecdsa")) {
            Path key = newKey(type, "id_" + type);
            certify(ca, key, "-5m:+1h");
            int mark = HOST.log().length();
            assertEquals(OpenSshServer.USER, whoami(settings(HOST, List.of(key), Optional.empty(), false), HOST), type);
            assertTrue(since(HOST, mark).lines().anyMatch(l -> l.startsWith("Accepted publickey") && l.contains("-CERT SHA256:")),
                    "sshj alone offers an RSA certificate as ssh-rsa-cert-v01 (SHA-1), which sshd refuses:\n" + since(HOST, mark));
        }
    }

    @Test
    void anAgentThatRefusesToSignIsNamedInTheFailure() throws Exception {
        Path key = newKey("ed25519", "id_ed25519");
        authorize(HOST, pub(key));
        try (TestAgent agent = TestAgent.start(false)) {
            agent.add(key, "-c");
            TargetException e = failure(settings(HOST, List.of(), Optional.of(agent), false), HOST);
            assertEquals(TargetException.Kind.AUTH_FAILED, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("agent key ED25519 " + fingerprint(Path.of(key + ".pub"))
                    + " (id_ed25519) (the agent refused to sign"), e.getMessage());
        }
    }

    @Test
    void anAgentCertificateIsNamedAsOneWithTheFingerprintOfItsKey() throws Exception {
        Path untrusted = certificateAuthority();
        Path key = newKey("ed25519", "id_ed25519");
        certify(untrusted, key, "-5m:+1h");
        authorize(HOST);
        try (TestAgent agent = TestAgent.start()) {
            agent.add(key);
            TargetException e = failure(settings(HOST, List.of(), Optional.of(agent), false), HOST);
            String fp = fingerprint(Path.of(key + ".pub"));
            assertTrue(e.getMessage().contains("agent key ED25519 " + fp + " (id_ed25519), agent certificate ED25519 " + fp + " ("),
                    "as ssh-add -l shows it:\n" + e.getMessage());
        }
    }

    @Test
    void aJumpHostThatCannotReachTheNextHopIsNamedWithTheHopItCouldNotReach() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.1.72"))) {
            closed = s.getLocalPort();
        }
        Path home = Files.createTempDirectory("home");
        SshConfig config = SshConfig.parse("config", String.join("\n",
                "Host j1",
                "  HostName " + HOST.address(),
                "  Port " + HOST.port(),
                "Host j2",
                "  HostName 127.0.1.72",
                "  Port " + closed,
                "Host db",
                "  HostName " + STRICT_HOST.address(),
                "  Port " + STRICT_HOST.port(),
                "  ProxyJump j1,j2",
                "Host db-down",
                "  HostName 127.0.1.72",
                "  Port " + closed,
                "  ProxyJump j1",
                "Host *",
                "  User " + OpenSshServer.USER,
                "  IdentityFile " + HOST.clientKey(),
                "  UserKnownHostsFile " + HOST.knownHosts(),
                ""));
        authorize(HOST, pub(HOST.clientKey()));
        SshOptions options = new SshOptions(home, "nobody", List.of(), false, List.of(), false, Optional.empty(), Optional.empty(),
                Optional.empty(), PasswordSupplier.NONE);
        SshSettings s = SshTargets.settings("db1", "db", Optional.empty(), Optional.empty(), Optional.empty(), config, options);
        TargetException e = failure(s, HOST);
        assertEquals(TargetException.Kind.UNREACHABLE, e.kind(), e.getMessage());
        assertEquals("host 'db1' is unreachable: jump host 'j1' (127.0.1.70:" + HOST.port() + ") could not reach 'j2' (127.0.1.72:"
                + closed + "): connection refused", e.getMessage());

        SshSettings down = SshTargets.settings("db2", "db-down", Optional.empty(), Optional.empty(), Optional.empty(), config, options);
        assertEquals("host 'db2' is unreachable: jump host 'j1' (127.0.1.70:" + HOST.port() + ") could not reach 'db2' (127.0.1.72:"
                + closed + "): connection refused", failure(down, HOST).getMessage());
    }
}
