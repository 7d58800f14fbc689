package dev.opsctl.target.ssh;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.source.Secret;
import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.TargetException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Connecting: host keys, authentication, jump hosts, broken and restored connections. */
class SshConnectIT {
    @RegisterExtension
    static final OpenSshServer JUMP = new OpenSshServer("127.0.1.3", "DEBUG1");

    @RegisterExtension
    static final OpenSshServer TARGET = new OpenSshServer("127.0.1.4");

    @RegisterExtension
    static final OpenSshServer ECDSA_HOST = new OpenSshServer("127.0.1.12", "DEBUG1", "ecdsa");

    @RegisterExtension
    static final OpenSshServer RSA_HOST = new OpenSshServer("127.0.1.13", "DEBUG1", "rsa");

    @RegisterExtension
    static final OpenSshServer CERT_HOST = new OpenSshServer("127.0.1.14", "DEBUG1").withHostCertificate();

    @RegisterExtension
    static final OpenSshServer IMPATIENT_HOST = new OpenSshServer("127.0.1.20").withConfig("LoginGraceTime 2");

    private static SshSettings with(SshSettings s, List<Path> keys, boolean agent, Optional<Path> sock, List<Path> known,
            boolean acceptNew, PasswordSupplier pw) {
        return new SshSettings(s.name(), s.hostName(), s.port(), s.user(), keys, agent, sock, s.jumps(), known, acceptNew,
                s.connectTimeout(), s.serverAliveInterval(), pw);
    }

    /** An ssh-agent listening on {@code sock} and holding {@code key}. */
    private static Process startAgentHolding(Path sock, Path key) throws Exception {
        Process agent = startAgent(sock);
        ProcessBuilder add = new ProcessBuilder("ssh-add", key.toString()).redirectErrorStream(true);
        add.environment().put("SSH_AUTH_SOCK", sock.toString());
        int added = add.start().waitFor();
        if (added != 0) {
            agent.destroy();
        }
        assertEquals(0, added, "ssh-add " + key);
        return agent;
    }

    /** An ssh-agent listening on {@code sock}, once the socket is there. */
    private static Process startAgent(Path sock) throws Exception {
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", sock.toString()).redirectErrorStream(true).start();
        for (int i = 0; i < 100 && !Files.exists(sock); i++) {
            Thread.sleep(20);
        }
        return agent;
    }

    private static TargetException failure(SshSettings s) {
        try (SshTarget t = new SshTarget(s, TARGET.dir())) {
            return assertThrows(TargetException.class, () -> t.exec(ExecRequest.of("true")));
        }
    }

    @Test
    void unknownHostKeyFailsClosedWithFingerprintAndKeyscanCommand() throws Exception {
        Path empty = Files.createTempFile("known", "");
        SshSettings s = with(TARGET.settings(), List.of(TARGET.clientKey()), false, Optional.empty(), List.of(empty), false,
                PasswordSupplier.NONE);
        TargetException e = failure(s);
        assertEquals(TargetException.Kind.HOST_KEY, e.kind());
        String fp = fingerprint(TARGET);
        assertTrue(e.getMessage().contains("host key for '127.0.1.4' (port " + TARGET.port() + ") is not known: ED25519 " + fp),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("with: ssh-keyscan -p " + TARGET.port() + " 127.0.1.4 >> " + empty), e.getMessage());
        assertTrue(e.getMessage().contains("--accept-new-host-keys"), e.getMessage());
        assertEquals("", Files.readString(empty), "nothing recorded without accept-new");
    }

    @Test
    void changedHostKeyFailsClosedNamingOldAndNewKeysAndTheLine() throws Exception {
        Path known = Files.createTempFile("known", "");
        Path other = Files.createTempDirectory("k").resolve("k");
        OpenSshServer.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString());
        String[] pub = Files.readString(Path.of(other + ".pub")).split(" ");
        Files.writeString(known, "# comment\n[127.0.1.4]:" + TARGET.port() + " " + pub[0] + " " + pub[1] + "\n");
        SshSettings s = with(TARGET.settings(), List.of(TARGET.clientKey()), false, Optional.empty(), List.of(known), true,
                PasswordSupplier.NONE);
        TargetException e = failure(s);
        assertEquals(TargetException.Kind.HOST_KEY, e.kind());
        assertTrue(e.getMessage().contains("HOST KEY CHANGED for '127.0.1.4' (port " + TARGET.port() + ")"), e.getMessage());
        assertTrue(e.getMessage().contains(known + ":2"), e.getMessage());
        assertTrue(e.getMessage().contains("the host offered ED25519 " + fingerprint(TARGET)), e.getMessage());
        assertEquals(2, Files.readAllLines(known).size(), "accept-new never replaces a changed key");
    }

    @Test
    void acceptNewRecordsTheKeyAndHashedEntriesAreHonoured() throws Exception {
        Path dir = Files.createTempDirectory("kh");
        Path known = dir.resolve("sub/known_hosts");
        SshSettings s = with(TARGET.settings(), List.of(TARGET.clientKey()), false, Optional.empty(), List.of(known), true,
                PasswordSupplier.NONE);
        try (SshTarget t = new SshTarget(s, TARGET.dir())) {
            assertEquals(0, t.exec(ExecRequest.of("true")).exitCode());
        }
        assertEquals(TARGET.hostLine(), Files.readString(known));
        OpenSshServer.run("ssh-keygen", "-H", "-f", known.toString());
        assertTrue(Files.readString(known).startsWith("|1|"));
        SshSettings strict = with(s, s.identityFiles(), false, Optional.empty(), List.of(known), false, PasswordSupplier.NONE);
        try (SshTarget t = new SshTarget(strict, TARGET.dir())) {
            assertEquals(0, t.exec(ExecRequest.of("true")).exitCode());
        }
    }

    @Test
    void wrongClientKeyIsAnAuthFailureNamingUserHostAndKeys() throws Exception {
        Path other = Files.createTempDirectory("k").resolve("id_ecdsa");
        OpenSshServer.run("ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", other.toString());
        SshSettings s = with(TARGET.settings(), List.of(other), false, Optional.empty(), List.of(TARGET.knownHosts()), false,
                PasswordSupplier.NONE);
        TargetException e = failure(s);
        assertEquals(TargetException.Kind.AUTH_FAILED, e.kind());
        assertTrue(e.getMessage().contains("user 'opsctl-test' was refused by '127.0.1.4:" + TARGET.port() + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(other.toString()), e.getMessage());
    }

    @Test
    void encryptedRsaAndEcdsaKeysAuthenticateWithTheirPassphrase() throws Exception {
        for (String type : List.of("rsa", "ecdsa")) {
            Path key = Files.createTempDirectory("k").resolve("id_" + type);
            OpenSshServer.run("ssh-keygen", "-q", "-t", type, "-N", "pass phrase", "-f", key.toString());
            Files.writeString(TARGET.dir().resolve("authorized_keys"), Files.readString(Path.of(key + ".pub")),
                    java.nio.file.StandardOpenOption.APPEND);
            SshSettings s = with(TARGET.settings(), List.of(key), false, Optional.empty(), List.of(TARGET.knownHosts()), false,
                    f -> Optional.of(new Secret("pass phrase")));
            try (SshTarget t = new SshTarget(s, TARGET.dir())) {
                assertEquals("opsctl-test", t.exec(ExecRequest.of("whoami")).stdout().strip(), type);
            }
            SshSettings noPass = with(s, s.identityFiles(), false, Optional.empty(), s.knownHostsFiles(), false,
                    PasswordSupplier.NONE);
            assertEquals(TargetException.Kind.AUTH_FAILED, failure(noPass).kind(), type);
        }
    }

    @Test
    void anEncryptedKeyIsDecodedOnceForManyConnectionsAndAgainWhenTheFileChanges() throws Exception {
        Path key = Files.createTempDirectory("k").resolve("id_ed25519");
        OpenSshServer.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "pass phrase", "-f", key.toString());
        Files.writeString(TARGET.dir().resolve("authorized_keys"), Files.readString(Path.of(key + ".pub")),
                java.nio.file.StandardOpenOption.APPEND);
        AtomicInteger asked = new AtomicInteger();
        PasswordSupplier pw = f -> {
            asked.incrementAndGet();
            return Optional.of(new Secret("pass phrase"));
        };
        SshSettings s = with(TARGET.settings(), List.of(key), false, Optional.empty(), List.of(TARGET.knownHosts()), false, pw);
        for (int i = 0; i < 3; i++) {
            try (SshTarget t = new SshTarget(s, TARGET.dir())) {
                assertEquals("opsctl-test", t.exec(ExecRequest.of("whoami")).stdout().strip());
            }
        }
        assertEquals(1, asked.get(), "the passphrase is needed once per key file, not per connection");

        Files.delete(key);
        Files.delete(Path.of(key + ".pub"));
        OpenSshServer.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "pass phrase", "-f", key.toString());
        Files.writeString(TARGET.dir().resolve("authorized_keys"), Files.readString(Path.of(key + ".pub")),
                java.nio.file.StandardOpenOption.APPEND);
        try (SshTarget t = new SshTarget(s, TARGET.dir())) {
            assertEquals("opsctl-test", t.exec(ExecRequest.of("whoami")).stdout().strip(), "a new key in the same file is read");
        }
        assertEquals(2, asked.get());
    }

    /** An encrypted ed25519 key the test host accepts, in a fresh directory. */
    private static Path acceptedEncryptedKey(String passphrase) throws Exception {
        return acceptedEncryptedKey(TARGET, passphrase);
    }

    private static Path acceptedEncryptedKey(OpenSshServer server, String passphrase) throws Exception {
        Path key = Files.createTempDirectory("k").resolve("id_ed25519");
        OpenSshServer.run("ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-f", key.toString());
        Files.writeString(server.dir().resolve("authorized_keys"), Files.readString(Path.of(key + ".pub")),
                java.nio.file.StandardOpenOption.APPEND);
        return key;
    }

    @Test
    void aPassphraseTypedSlowerThanTheConnectTimeoutStillLogsInEveryHost() throws Exception {
        Path key = acceptedEncryptedKey("pass phrase");
        TypingOperator slow = new TypingOperator(Duration.ofSeconds(3), "pass phrase");
        SshSettings s = with(TARGET.settings(), List.of(key), false, Optional.empty(), List.of(TARGET.knownHosts()), false, slow);
        SshSettings quick = new SshSettings(s.name(), s.hostName(), s.port(), s.user(), s.identityFiles(), false, Optional.empty(),
                s.jumps(), s.knownHostsFiles(), false, Duration.ofSeconds(1), s.serverAliveInterval(), slow);
        List<String> users = atOnce(4, i -> () -> {
            try (SshTarget t = new SshTarget(quick, TARGET.dir())) {
                return t.exec(ExecRequest.of("whoami")).stdout().strip();
            }
        });
        assertEquals(List.of("opsctl-test", "opsctl-test", "opsctl-test", "opsctl-test"), users,
                "the time the operator takes to answer is not the server's: no connection timed out waiting for it");
        assertEquals(1, slow.asked().get());
    }

    @Test
    void hostsThatGaveUpWaitingForThePassphraseAreLoggedInAgainWithoutAskingAgain() throws Exception {
        Path key = acceptedEncryptedKey(IMPATIENT_HOST, "pass phrase");
        TypingOperator slow = new TypingOperator(Duration.ofSeconds(4), "pass phrase");
        SshSettings s = with(IMPATIENT_HOST.settings(), List.of(key), false, Optional.empty(), List.of(IMPATIENT_HOST.knownHosts()),
                false, slow);
        List<String> users = atOnce(3, i -> () -> {
            try (SshTarget t = new SshTarget(s, IMPATIENT_HOST.dir())) {
                return t.exec(ExecRequest.of("whoami")).stdout().strip();
            }
        });
        List<String> log = IMPATIENT_HOST.log().lines().toList();
        long dropped = log.stream().filter(l -> l.startsWith("Postponed publickey"))
                .map(l -> l.replaceAll(".* port (\\d+) .*", "$1"))
                .filter(port -> log.stream().noneMatch(l -> l.startsWith("Accepted publickey") && l.contains(" port " + port + " ")))
                .count();
        assertEquals(3, dropped, "the host's LoginGraceTime (2 s) ran out while the operator typed (4 s):\n" + IMPATIENT_HOST.log());
        assertEquals(List.of("opsctl-test", "opsctl-test", "opsctl-test"), users,
                "a connection the host closed while the passphrase was asked is opened again with the answer");
        assertEquals(1, slow.asked().get(), "the answer is kept: the new connections do not ask again");
    }

    @Test
    void anEncryptedKeyTheServerRefusesIsNeverAskedForWithOrWithoutItsPubFile() throws Exception {
        Path refused = Files.createTempDirectory("k").resolve("id_ed25519");
        OpenSshServer.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "pass phrase", "-f", refused.toString());
        Path alone = Files.createTempDirectory("k").resolve("id_ed25519");
        OpenSshServer.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "pass phrase", "-f", alone.toString());
        Files.delete(Path.of(alone + ".pub"));
        for (Path key : List.of(refused, alone)) {
            TypingOperator operator = new TypingOperator(Duration.ZERO, "pass phrase");
            SshSettings s = with(TARGET.settings(), List.of(key, TARGET.clientKey()), false, Optional.empty(),
                    List.of(TARGET.knownHosts()), false, operator);
            try (SshTarget t = new SshTarget(s, TARGET.dir())) {
                assertEquals("opsctl-test", t.exec(ExecRequest.of("whoami")).stdout().strip());
            }
            assertEquals(0, operator.asked().get(), key + ": OpenSSH asks for a key's passphrase only once the server accepted the key");
        }
    }

    @Test
    void anAcceptedEncryptedKeyWithoutItsPubFileIsAskedOnce() throws Exception {
        Path key = acceptedEncryptedKey("pass phrase");
        Files.delete(Path.of(key + ".pub"));
        TypingOperator operator = new TypingOperator(Duration.ZERO, "pass phrase");
        SshSettings s = with(TARGET.settings(), List.of(key), false, Optional.empty(), List.of(TARGET.knownHosts()), false, operator);
        try (SshTarget t = new SshTarget(s, TARGET.dir())) {
            assertEquals("opsctl-test", t.exec(ExecRequest.of("whoami")).stdout().strip());
        }
        assertEquals(1, operator.asked().get());
    }

    @Test
    void aMistypedPassphraseIsAskedAgainAndAfterThreeTheKeyIsGivenUpWithTheReason() throws Exception {
        Path key = acceptedEncryptedKey("pass phrase");
        TypingOperator typo = new TypingOperator(Duration.ZERO, "pass prase", "pass phrase");
        SshSettings s = with(TARGET.settings(), List.of(key), false, Optional.empty(), List.of(TARGET.knownHosts()), false, typo);
        try (SshTarget t = new SshTarget(s, TARGET.dir())) {
            assertEquals("opsctl-test", t.exec(ExecRequest.of("whoami")).stdout().strip());
        }
        assertEquals(2, typo.asked().get());

        Path other = acceptedEncryptedKey("pass phrase");
        TypingOperator wrong = new TypingOperator(Duration.ZERO, "a", "b", "c");
        SshSettings w = with(TARGET.settings(), List.of(other), false, Optional.empty(), List.of(TARGET.knownHosts()), false, wrong);
        for (int i = 0; i < 2; i++) {
            TargetException e = failure(w);
            assertEquals(TargetException.Kind.AUTH_FAILED, e.kind());
            assertTrue(e.getMessage().contains("'" + other + "' (encrypted: the passphrase is wrong"), e.getMessage());
        }
        assertEquals(3, wrong.asked().get(), "three tries, as OpenSSH gives; the next connection is not asked again");

        Path third = acceptedEncryptedKey("pass phrase");
        TypingOperator enter = new TypingOperator(Duration.ZERO, "");
        SshSettings n = with(TARGET.settings(), List.of(third), false, Optional.empty(), List.of(TARGET.knownHosts()), false, enter);
        TargetException e = failure(n);
        assertEquals(TargetException.Kind.AUTH_FAILED, e.kind(), "an empty answer is no passphrase, not a crash in the key decoder");
        assertTrue(e.getMessage().contains("'" + third + "' (encrypted: no passphrase given"), e.getMessage());
    }

    @Test
    void encryptedPuttyKeysAreRecognisedAndAskedAgainWhenMistyped() throws Exception {
        if (!OpenSshServer.onPath("puttygen")) {
            assertFalse("true".equals(System.getenv("CI")), "puttygen is missing and CI=true: install putty-tools");
            org.junit.jupiter.api.Assumptions.abort("puttygen (putty-tools) is not installed");
        }
        Path key = acceptedEncryptedKey("pass phrase");
        Path pass = Files.writeString(key.resolveSibling("pass"), "pass phrase\n");
        for (String version : List.of("2", "3")) {
            Path ppk = key.resolveSibling("id_v" + version + ".ppk");
            OpenSshServer.run("puttygen", key.toString(), "-o", ppk.toString(), "--ppk-param", "version=" + version,
                    "--old-passphrase", pass.toString(), "--new-passphrase", pass.toString());
            assertTrue(KeyFileHeaders.encrypted(ppk), "ppk version " + version);
            Path plain = key.resolveSibling("plain_v" + version + ".ppk");
            OpenSshServer.run("puttygen", key.toString(), "-o", plain.toString(), "--ppk-param", "version=" + version,
                    "--old-passphrase", pass.toString(), "--new-passphrase", Files.writeString(key.resolveSibling("empty"), "").toString());
            assertFalse(KeyFileHeaders.encrypted(plain), "ppk version " + version + " without a passphrase");
            TargetException none = failure(with(TARGET.settings(), List.of(ppk), false, Optional.empty(), List.of(TARGET.knownHosts()),
                    false, PasswordSupplier.NONE));
            assertTrue(none.getMessage().contains("'" + ppk + "' (encrypted: no passphrase given"), none.getMessage());

            TypingOperator unasked = new TypingOperator(Duration.ZERO, "pass phrase");
            Path refused = key.resolveSibling("refused_v" + version + ".ppk");
            Path other = Files.createTempDirectory("k").resolve("id_ed25519");
            OpenSshServer.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "pass phrase", "-f", other.toString());
            OpenSshServer.run("puttygen", other.toString(), "-o", refused.toString(), "--ppk-param", "version=" + version,
                    "--old-passphrase", pass.toString(), "--new-passphrase", pass.toString());
            try (SshTarget t = new SshTarget(with(TARGET.settings(), List.of(refused, TARGET.clientKey()), false, Optional.empty(),
                    List.of(TARGET.knownHosts()), false, unasked), TARGET.dir())) {
                assertEquals("opsctl-test", t.exec(ExecRequest.of("whoami")).stdout().strip());
            }
            assertEquals(0, unasked.asked().get(), "a refused ppk key is not asked for: its public key is in clear");

            TypingOperator typo = new TypingOperator(Duration.ZERO, "pass prase", "pass phrase");
            SshSettings s = with(TARGET.settings(), List.of(ppk), false, Optional.empty(), List.of(TARGET.knownHosts()), false, typo);
            try (SshTarget t = new SshTarget(s, TARGET.dir())) {
                assertEquals("opsctl-test", t.exec(ExecRequest.of("whoami")).stdout().strip(), "ppk version " + version);
            }
            assertEquals(2, typo.asked().get(), "ppk version " + version);
        }
    }

    @Test
    void authenticatesWithAKeyHeldBySshAgentAndNoKeyFiles() throws Exception {
        Path sock = Files.createTempDirectory("agent").resolve("sock");
        Process agent = startAgent(sock);
        try {
            Path rsa = Files.createTempDirectory("k").resolve("id_rsa");
            OpenSshServer.run("ssh-keygen", "-q", "-t", "rsa", "-N", "", "-f", rsa.toString());
            Files.writeString(TARGET.dir().resolve("authorized_keys"), Files.readString(Path.of(rsa + ".pub")),
                    java.nio.file.StandardOpenOption.APPEND);
            for (Path key : List.of(TARGET.clientKey(), rsa)) {
                ProcessBuilder add = new ProcessBuilder("ssh-add", "-D").redirectErrorStream(true);
                add.environment().put("SSH_AUTH_SOCK", sock.toString());
                add.start().waitFor();
                add.command("ssh-add", key.toString());
                assertEquals(0, add.start().waitFor());
                SshSettings s = with(TARGET.settings(), List.of(), true, Optional.of(sock), List.of(TARGET.knownHosts()), false,
                        PasswordSupplier.NONE);
                try (SshTarget t = new SshTarget(s, TARGET.dir())) {
                    assertEquals("opsctl-test", t.exec(ExecRequest.of("whoami")).stdout().strip(), key.toString());
                }
            }
        } finally {
            agent.destroy();
        }
    }

    @Test
    void withIdentitiesOnlyTheAgentSignsForTheConfiguredKeysAndNoOther() throws Exception {
        Path sock = Files.createTempDirectory("agent").resolve("sock");
        Process agent = startAgentHolding(sock, TARGET.clientKey());
        try {
            // the IdentityFile is only the public half, as for a key an agent or a token holds
            Path pub = Files.createTempDirectory("k").resolve("held.pub");
            Files.copy(Path.of(TARGET.clientKey() + ".pub"), pub);
            Path other = Files.createTempDirectory("k").resolve("other");
            OpenSshServer.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString());
            String config = "Host " + TARGET.address() + "\n  IdentitiesOnly yes\n  IdentityFile %s\n";
            SshOptions options = new SshOptions(TARGET.dir(), "op", List.of(TARGET.knownHosts()), false, List.of(), true,
                    Optional.of(sock), Optional.empty(), Optional.empty(), PasswordSupplier.NONE);
            SshSettings held = SshTargets.settings("t", TARGET.address(), Optional.of(TARGET.port()), Optional.of(OpenSshServer.USER),
                    Optional.empty(), SshConfig.parse("cfg", config.formatted(pub)), options);
            try (SshTarget t = new SshTarget(held, TARGET.dir())) {
                assertEquals("opsctl-test", t.exec(ExecRequest.of("whoami")).stdout().strip());
            }
            SshSettings notHeld = SshTargets.settings("t", TARGET.address(), Optional.of(TARGET.port()),
                    Optional.of(OpenSshServer.USER), Optional.empty(), SshConfig.parse("cfg", config.formatted(other + ".pub")), options);
            try (SshTarget t = new SshTarget(notHeld, TARGET.dir())) {
                TargetException e = assertThrows(TargetException.class, () -> t.exec(ExecRequest.of("true")));
                assertFalse(e.getMessage().contains("ssh-agent"), "the agent's key was not offered: " + e.getMessage());
            }
        } finally {
            agent.destroy();
        }
    }

    @Test
    void aHostReachedWithProxyCommandIsNotConnectedToAndSaysWhy() throws Exception {
        long before = TARGET.log().lines().filter(l -> l.startsWith("Connection from")).count();
        SshOptions options = new SshOptions(TARGET.dir(), "op", List.of(TARGET.knownHosts()), false, List.of(TARGET.clientKey()),
                false, Optional.empty(), Optional.empty(), Optional.empty(), PasswordSupplier.NONE);
        SshSettings s = SshTargets.settings("web1", TARGET.address(), Optional.of(TARGET.port()), Optional.of(OpenSshServer.USER),
                Optional.empty(), SshConfig.parse("/home/op/.ssh/config", "Host *\n  ProxyCommand ssh -W %h:%p bastion\n"), options);
        try (SshTarget t = new SshTarget(s, TARGET.dir())) {
            TargetException e = assertThrows(TargetException.class, () -> t.exec(ExecRequest.of("true")));
            assertEquals("host 'web1' is unreachable: the ssh config '/home/op/.ssh/config' for 'web1': it is reached with"
                    + " 'ProxyCommand ssh -W %h:%p bastion', which opsctl does not run; write it as ProxyJump ('ProxyCommand ssh -W"
                    + " %h:%p bastion' is 'ProxyJump bastion'), or give the host 'ProxyCommand none'; opsctl did not connect",
                    e.getMessage());
        }
        assertEquals(before, TARGET.log().lines().filter(l -> l.startsWith("Connection from")).count(), "no connection was made");
    }

    @Test
    void aKeptConnectionDoesNotCarryARefusedHostPastItsRefusal() throws Exception {
        SshTargets.keepConnections(Duration.ofMinutes(1));
        try {
            SshSettings direct = TARGET.settings();
            try (SshTarget t = new SshTarget(direct, TARGET.dir())) {
                t.exec(ExecRequest.of("true"));
            }
            assertEquals(1, SshTargets.keptConnections());
            SshSettings refused = direct.withRefusal("it is reached with 'ProxyCommand nc %h %p'");
            try (SshTarget t = new SshTarget(refused, TARGET.dir())) {
                TargetException e = assertThrows(TargetException.class, () -> t.exec(ExecRequest.of("true")));
                assertTrue(e.getMessage().contains("ProxyCommand"), e.getMessage());
            }
            assertEquals(1, SshTargets.keptConnections(), "the connection kept for the direct route was not taken");
        } finally {
            SshTargets.keepConnections(Duration.ZERO);
        }
    }

    @Test
    void aHostKeyPinnedUnderAnAliasInTheSystemFileIsTrustedAndNothingIsRecorded() throws Exception {
        String[] line = TARGET.hostLine().strip().split(" ", 2);
        Path global = Files.writeString(Files.createTempDirectory("kh").resolve("ssh_known_hosts"), "fleet-db " + line[1] + "\n");
        Path user = Files.createTempDirectory("kh").resolve("known_hosts");
        SshOptions options = new SshOptions(TARGET.dir(), "op", List.of(user), true, List.of(TARGET.clientKey()), false,
                Optional.empty(), Optional.empty(), Optional.empty(), PasswordSupplier.NONE);
        SshConfig config = SshConfig.parse("cfg", "HostKeyAlias fleet-db\nGlobalKnownHostsFile " + global + "\n");
        SshSettings s = SshTargets.settings("db", TARGET.address(), Optional.of(TARGET.port()), Optional.of(OpenSshServer.USER),
                Optional.empty(), config, options);
        try (SshTarget t = new SshTarget(s, TARGET.dir())) {
            assertEquals("opsctl-test", t.exec(ExecRequest.of("whoami")).stdout().strip());
        }
        assertFalse(Files.exists(user), "the key was known: accept-new recorded nothing");
        Path impostor = Files.createTempDirectory("k").resolve("impostor");
        OpenSshServer.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", impostor.toString());
        String[] pinned = Files.readString(Path.of(impostor + ".pub")).split(" ");
        Files.writeString(global, "fleet-db " + pinned[0] + " " + pinned[1] + "\n");
        try (SshTarget t = new SshTarget(s, TARGET.dir())) {
            TargetException e = assertThrows(TargetException.class, () -> t.exec(ExecRequest.of("true")));
            assertTrue(e.getMessage().contains("HOST KEY CHANGED"), e.getMessage());
        }
        assertFalse(Files.exists(user), "accept-new did not record a key the system file pins otherwise");
    }

    @Test
    void anEncryptedKeyFileIsNotAskedForWhenTheAgentLogsIn() throws Exception {
        Path sock = Files.createTempDirectory("agent").resolve("sock");
        Process agent = startAgentHolding(sock, TARGET.clientKey());
        try {
            Path encrypted = Files.createTempDirectory("k").resolve("id_ed25519");
            OpenSshServer.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "pass phrase", "-f", encrypted.toString());
            AtomicInteger asked = new AtomicInteger();
            SshSettings s = with(TARGET.settings(), List.of(encrypted), true, Optional.of(sock), List.of(TARGET.knownHosts()), false,
                    f -> {
                        asked.incrementAndGet();
                        return Optional.of(new Secret("pass phrase"));
                    });
            try (SshTarget t = new SshTarget(s, TARGET.dir())) {
                assertEquals("opsctl-test", t.exec(ExecRequest.of("whoami")).stdout().strip());
            }
            assertEquals(0, asked.get(), "OpenSSH asks for a key file's passphrase only after the agent's keys failed");
        } finally {
            agent.destroy();
        }
    }

    @Test
    void aHostDefinedInAnIncludedFileUnderMatchIsReachedAndItsKeyRecordedHashed() throws Exception {
        Path home = Files.createTempDirectory("home");
        Path ssh = Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(ssh.resolve("config"), String.join("\n",
                "Include fleet.d/*.conf",
                "Host *",
                "  HashKnownHosts yes",
                "  StrictHostKeyChecking accept-new",
                ""));
        Files.createDirectories(ssh.resolve("fleet.d"));
        Files.writeString(ssh.resolve("fleet.d/db.conf"), String.join("\n",
                "Match originalhost db-primary",
                "  HostName " + TARGET.address(),
                "Match host " + TARGET.address(),
                "  Port " + TARGET.port(),
                "  User opsctl-test",
                "  IdentityFile " + TARGET.clientKey(),
                ""));
        SshConfig config = SshConfig.standard(Optional.empty(), home, home.resolve("etc/ssh_config"));
        SshOptions options = new SshOptions(home, "nobody", List.of(), false, List.of(), false, Optional.empty(), Optional.empty(),
                Optional.empty(), PasswordSupplier.NONE);
        SshSettings s = SshTargets.settings("db", "db-primary", Optional.empty(), Optional.empty(), Optional.empty(), config,
                options);
        try (SshTarget t = new SshTarget(s, home)) {
            assertEquals("opsctl-test", t.exec(ExecRequest.of("whoami")).stdout().strip());
        }
        String known = Files.readString(ssh.resolve("known_hosts"));
        assertTrue(known.startsWith("|1|") && !known.contains(TARGET.address()), known);
        Process keygen = new ProcessBuilder("ssh-keygen", "-F", "[" + TARGET.address() + "]:" + TARGET.port(), "-f",
                ssh.resolve("known_hosts").toString()).redirectErrorStream(true).start();
        String found = new String(keygen.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, keygen.waitFor(), "OpenSSH finds the hashed line: " + found);
    }

    @Test
    void proxyJumpFromSshConfigGoesThroughTheJumpHost() throws Exception {
        Path home = Files.createTempDirectory("home");
        SshConfig config = SshConfig.parse("config", String.join("\n",
                "Host jump",
                "  HostName " + JUMP.address(),
                "  Port " + JUMP.port(),
                "Host inner-*",
                "  HostName " + TARGET.address(),
                "  Port " + TARGET.port(),
                "  ProxyJump opsctl-test@jump",
                "Host *",
                "  User opsctl-test",
                "  IdentityFile " + TARGET.clientKey(),
                "  IdentityFile " + JUMP.clientKey(),
                "  StrictHostKeyChecking accept-new",
                "  UserKnownHostsFile ~/.ssh/known_hosts",
                ""));
        SshOptions options = new SshOptions(home, "nobody", List.of(), false, List.of(), false, Optional.empty(), Optional.empty(),
                Optional.empty(), PasswordSupplier.NONE);
        Files.writeString(JUMP.dir().resolve("authorized_keys"), Files.readString(Path.of(TARGET.clientKey() + ".pub")),
                java.nio.file.StandardOpenOption.APPEND);
        SshSettings s = SshTargets.settings("db1", "inner-db1", Optional.empty(), Optional.empty(), Optional.empty(), config,
                options);
        assertEquals(1, s.jumps().size());
        assertEquals(JUMP.port(), s.jumps().get(0).port());
        try (SshTarget t = new SshTarget(s, home)) {
            assertEquals("opsctl-test", t.exec(ExecRequest.of("whoami")).stdout().strip());
            assertTrue(t.describe().contains(" via opsctl-test@127.0.1.3:" + JUMP.port()), t.describe());
        }
        assertTrue(JUMP.log().contains("target " + TARGET.address() + " port " + TARGET.port()), JUMP.log());
        String known = Files.readString(home.resolve(".ssh/known_hosts"));
        assertTrue(known.contains("[127.0.1.3]:" + JUMP.port()) && known.contains("[127.0.1.4]:" + TARGET.port()), known);
    }

    /** {@code s} under another inventory name, reached through {@code jumps}. */
    private static SshSettings named(SshSettings s, String name, List<SshSettings> jumps) {
        return new SshSettings(name, s.hostName(), s.port(), s.user(), s.identityFiles(), s.useAgent(), s.agentSocket(), jumps,
                s.knownHostsFiles(), s.acceptNewHostKeys(), s.connectTimeout(), s.serverAliveInterval(), s.passphrases());
    }

    /** Runs {@code work} for hosts h1..hN on N threads released at the same moment. */
    private static <T> List<T> atOnce(int n, IntFunction<Callable<T>> work)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CyclicBarrier start = new CyclicBarrier(n);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                Callable<T> c = work.apply(i);
                futures.add(pool.submit(() -> {
                    start.await();
                    return c.call();
                }));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get(60, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void hostsBehindOneJumpHostShareOneLoginToItAndItClosesWithTheLastOfThem() throws Exception {
        long jumpLogins = JUMP.acceptedLogins();
        long targetLogins = TARGET.acceptedLogins();
        long forwards = forwardsToTarget();
        List<SshSettings> via = List.of(JUMP.settings());
        List<String> users = atOnce(8, i -> () -> {
            try (SshTarget t = new SshTarget(named(TARGET.settings(), "h" + i, via), TARGET.dir())) {
                return t.exec(ExecRequest.of("whoami")).stdout().strip();
            }
        });
        assertEquals(Collections.nCopies(8, OpenSshServer.USER), users);
        assertEquals(jumpLogins + 1, JUMP.acceptedLogins(), "one login on the jump host for eight hosts:\n" + JUMP.log());
        assertEquals(targetLogins + 8, TARGET.acceptedLogins());
        assertEquals(forwards + 8, forwardsToTarget(), "a channel through the jump host per host:\n" + JUMP.log());
        assertEquals(0, JumpHosts.openCount(), "closed with the last host");

        // a jump connection found dead is replaced: the next host gets a new one
        try (SshTarget held = new SshTarget(named(TARGET.settings(), "held", via), TARGET.dir())) {
            assertEquals(0, held.exec(ExecRequest.of("true")).exitCode());
            JUMP.stop();
            JUMP.start();
            try (SshTarget next = new SshTarget(named(TARGET.settings(), "next", via), TARGET.dir())) {
                assertEquals(0, next.exec(ExecRequest.of("true")).exitCode());
            }
            assertEquals(0, held.exec(ExecRequest.of("true")).exitCode(), "the held host reconnects through the new one");
        }
        assertEquals(0, JumpHosts.openCount());
    }

    private static long forwardsToTarget() {
        return JUMP.log().lines().filter(l -> l.contains("target " + TARGET.address() + " port " + TARGET.port())).count();
    }

    /** Accepts TCP connections and never says a word: a hung sshd, a tarpit. */
    private static final class Silent implements AutoCloseable {
        final ServerSocket socket;
        final AtomicInteger accepted = new AtomicInteger();
        private final List<Socket> held = Collections.synchronizedList(new ArrayList<>());

        Silent(String address) throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getByName(address));
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(socket.accept());
                        accepted.incrementAndGet();
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
        }

        SshSettings in(SshSettings s) {
            return new SshSettings(s.name(), s.hostName(), socket.getLocalPort(), s.user(), s.identityFiles(), s.useAgent(),
                    s.agentSocket(), s.jumps(), s.knownHostsFiles(), s.acceptNewHostKeys(), Duration.ofSeconds(2),
                    s.serverAliveInterval(), s.passphrases());
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void aHostThatAcceptsTheConnectionButNeverAnswersFailsWithinTheConnectTimeout() throws Exception {
        try (Silent silent = new Silent(TARGET.address())) {
            long start = System.nanoTime();
            // preemptive: without a handshake deadline the attempt never ends
            TargetException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> failure(silent.in(TARGET.settings())));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(TargetException.Kind.UNREACHABLE, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("no answer from '127.0.1.4:" + silent.socket.getLocalPort() + "' within 2s"),
                    e.getMessage());
            assertTrue(seconds < 8, "the handshake is timed like the connect: " + seconds + " s");
        }
    }

    @Test
    void aJumpHostThatNeverAnswersIsTriedOnceAndEveryHostSaysSoUnderItsOwnName() throws Exception {
        try (Silent silent = new Silent(JUMP.address())) {
            SshSettings silentJump = silent.in(JUMP.settings());
            long start = System.nanoTime();
            List<TargetException> failures = assertTimeoutPreemptively(
                    Duration.ofSeconds(30),
                    () -> atOnce(6, i -> () -> failure(named(TARGET.settings(), "h" + i, List.of(silentJump)))));
            double seconds = (System.nanoTime() - start) / 1e9;
            for (int i = 1; i <= 6; i++) {
                TargetException e = failures.get(i - 1);
                assertEquals(TargetException.Kind.UNREACHABLE, e.kind(), e.getMessage());
                assertTrue(e.getMessage().startsWith("host 'h" + i + "'") && e.getMessage().contains("(jump host '127.0.1.3' on the way)"),
                        e.getMessage());
            }
            assertEquals(1, silent.accepted.get(), "one connection attempt for all six hosts");
            assertTrue(seconds < 8, "one connect timeout, not one per host: " + seconds + " s");
            assertEquals(0, JumpHosts.openCount());
        }
    }

    @Test
    void aCommandRunningWhenSshdDiesFailsWithConnectionLostAndTheNextCallReconnects() throws Exception {
        try (SshTarget t = TARGET.target()) {
            assertEquals(0, t.exec(ExecRequest.of("true")).exitCode());
            ExecutorService pool = Executors.newSingleThreadExecutor();
            ExecutorService pool2 = Executors.newSingleThreadExecutor();
            // a script: the error quotes its beginning on one line, not the rest (which may hold anything)
            Future<?> running = pool.submit(() -> t.exec(ExecRequest.of("sleep 30\n: " + "x".repeat(80) + "\ntrue")));
            Future<?> talking = pool2.submit(() -> t.exec(ExecRequest.of("echo before the loss; echo on stderr >&2; sleep 30")));
            Thread.sleep(500);
            TARGET.stop();
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> running.get(20, TimeUnit.SECONDS));
            TargetException te = (TargetException) e.getCause();
            assertEquals(TargetException.Kind.CONNECTION_LOST, te.kind(), te.getMessage());
            assertTrue(te.getMessage().contains("broke while running 'sleep 30 : xxx"), te.getMessage());
            assertTrue(te.getMessage().contains("xxx…'"), te.getMessage());
            assertFalse(te.getMessage().contains("\n") || te.getMessage().contains("x".repeat(60)), te.getMessage());
            TargetException lost = (TargetException) assertThrows(ExecutionException.class, () -> talking.get(20, TimeUnit.SECONDS)).getCause();
            assertEquals(new TargetException.OutputSoFar("before the loss\n", "on stderr\n"), lost.outputSoFar(),
                    "what the command wrote before the connection broke is kept");
            pool2.shutdown();
            TARGET.start();
            assertEquals("back", t.exec(ExecRequest.of("echo back")).stdout().strip());
            pool.shutdown();
        }
    }

    @Test
    void curve25519KexAndEd25519HostAndUserKeysInteroperateWithOpenSsh() throws Exception {
        long before = JUMP.acceptedLogins();
        try (SshTarget t = JUMP.target()) {
            assertEquals("opsctl-test", t.exec(ExecRequest.of("whoami")).stdout().strip());
        }
        String log = JUMP.log();
        assertTrue(log.contains("kex: algorithm: curve25519-sha256"), "curve25519 negotiated:\n" + log);
        assertTrue(log.contains("kex: host key algorithm: ssh-ed25519"), log);
        assertTrue(log.lines().anyMatch(l -> l.contains("Accepted publickey for opsctl-test") && l.contains("ED25519")), log);
        assertEquals(before + 1, JUMP.acceptedLogins());
    }

    @Test
    void ecdsaAndRsaHostKeysVerifyOverCurve25519AndAnotherKeyForTheHostFailsClosed() throws Exception {
        for (OpenSshServer server : List.of(ECDSA_HOST, RSA_HOST)) {
            try (SshTarget t = server.target()) {
                assertEquals(0, t.exec(ExecRequest.of("true")).exitCode(), server.address());
            }
            assertTrue(server.log().contains("kex: algorithm: curve25519-sha256"), server.log());
            Path known = Files.createTempFile("known", "");
            String[] pub = Files.readString(TARGET.dir().resolve("host_key.pub")).split(" ");
            Files.writeString(known, "[" + server.address() + "]:" + server.port() + " " + pub[0] + " " + pub[1] + "\n");
            SshSettings s = with(server.settings(), List.of(server.clientKey()), false, Optional.empty(), List.of(known), false,
                    PasswordSupplier.NONE);
            try (SshTarget t = new SshTarget(s, server.dir())) {
                TargetException e = assertThrows(TargetException.class, () -> t.exec(ExecRequest.of("true")));
                assertEquals(TargetException.Kind.HOST_KEY, e.kind(), e.getMessage());
            }
        }
    }

    @Test
    void aHostCertificateSignedByATrustedCaIsAcceptedAndAnyOtherFailsClosed() throws Exception {
        // only the CA is known, not the host's key: the certificate is what gets the host in
        Path known = Files.writeString(Files.createTempFile("known", ""), CERT_HOST.certAuthorityLine("[127.0.1.*]:*"));
        SshSettings s = with(CERT_HOST.settings(), List.of(CERT_HOST.clientKey()), false, Optional.empty(), List.of(known), false,
                PasswordSupplier.NONE);
        try (SshTarget t = new SshTarget(s, CERT_HOST.dir())) {
            assertEquals(0, t.exec(ExecRequest.of("true")).exitCode());
        }
        assertTrue(CERT_HOST.log().contains("kex: host key algorithm: ssh-ed25519-cert-v01@openssh.com"), CERT_HOST.log());

        // a revoked CA vouches for nothing, even where a CA line trusts it (as in OpenSSH)
        String ca = CERT_HOST.certAuthorityLine("[127.0.1.*]:*");
        Files.writeString(known, ca + ca.replace("@cert-authority [127.0.1.*]:*", "@revoked *"));
        TargetException revoked = failure(s);
        assertEquals(TargetException.Kind.HOST_KEY, revoked.kind(), revoked.getMessage());
        assertTrue(revoked.getMessage().contains("host certificate for '127.0.1.14' (port " + CERT_HOST.port()
                + ") is signed by a REVOKED CA: " + known + ":2 marks the CA SHA256:"), revoked.getMessage());

        // a certificate for a host key that is itself revoked is refused too (OpenSSH checks both)
        Files.writeString(known, ca + "@revoked * " + Files.readString(CERT_HOST.dir().resolve("host_key.pub")).strip() + "\n");
        TargetException ownKeyRevoked = failure(s);
        assertEquals(TargetException.Kind.HOST_KEY, ownKeyRevoked.kind(), ownKeyRevoked.getMessage());
        assertTrue(ownKeyRevoked.getMessage().contains("is REVOKED: " + known + ":2"), ownKeyRevoked.getMessage());

        // another CA (here: JUMP's own host key standing in for one) vouches for nothing: as ssh does, the
        // certificate's own key is then checked as a plain key, unknown here, and accept-new records that key
        String[] other = Files.readString(JUMP.dir().resolve("host_key.pub")).split(" ");
        String otherCa = "@cert-authority [127.0.1.*]:* " + other[0] + " " + other[1] + "\n";
        Files.writeString(known, otherCa);
        TargetException e = failure(s);
        assertEquals(TargetException.Kind.HOST_KEY, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("host key for '127.0.1.14' (port " + CERT_HOST.port() + ") is not known: ED25519 "
                + fingerprint(CERT_HOST) + "; its certificate was not accepted: no @cert-authority line trusts its CA SHA256:"),
                e.getMessage());
        SshSettings acceptNew = with(s, s.identityFiles(), false, Optional.empty(), List.of(known), true, PasswordSupplier.NONE);
        try (SshTarget t = new SshTarget(acceptNew, CERT_HOST.dir())) {
            assertEquals(0, t.exec(ExecRequest.of("true")).exitCode());
        }
        assertEquals(otherCa + CERT_HOST.hostLine(), Files.readString(known), "the plain key recorded, not the certificate");

        // a CA line for other hosts does not cover this one
        Files.writeString(known, CERT_HOST.certAuthorityLine("*.example.com"));
        assertEquals(TargetException.Kind.HOST_KEY, failure(s).kind());

        // the trusted CA's certificate for another name does not cover this host either
        Files.writeString(known, CERT_HOST.certAuthorityLine("[127.0.1.*]:*"));
        OpenSshServer.run("ssh-keygen", "-q", "-s", CERT_HOST.dir().resolve("ca").toString(), "-I", "elsewhere", "-h", "-n",
                "db1.example.com", "-V", "-5m:+1h", CERT_HOST.dir().resolve("host_key.pub").toString());
        CERT_HOST.stop();
        CERT_HOST.start();
        TargetException wrongName = failure(s);
        assertTrue(wrongName.getMessage().contains("is not known: ED25519 " + fingerprint(CERT_HOST) + "; its certificate was not"
                + " accepted: '127.0.1.14' is not among its principals ('db1.example.com')"), wrongName.getMessage());
        assertEquals(TargetException.Kind.HOST_KEY, wrongName.kind(), wrongName.getMessage());
    }

    private static String fingerprint(OpenSshServer server) throws Exception {
        Process p = new ProcessBuilder("ssh-keygen", "-l", "-f", server.dir().resolve("host_key.pub").toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        p.waitFor();
        return out.split(" ")[1];
    }

}
