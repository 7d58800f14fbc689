package dev.opsctl.target.ssh;

import static dev.opsctl.target.ssh.TestHostKeys.KEY_A;
import static dev.opsctl.target.ssh.TestHostKeys.KEY_B;
import static dev.opsctl.target.ssh.TestHostKeys.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.schmizz.sshj.common.Buffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownHostsVerifierTest {
    @TempDir
    Path tmp;

    /** known_hosts for 127.0.2.1..n on port 2222, all with key A. */
    private Path fleet(int n) throws Exception {
        StringBuilder s = new StringBuilder("# fleet\n");
        for (int i = 1; i <= n; i++) {
            s.append("[127.0.2.").append(i).append("]:2222 ssh-ed25519 ").append(KEY_A).append('\n');
        }
        return Files.writeString(tmp.resolve("known_hosts"), s);
    }

    private KnownHostsVerifier verifier(Path file) {
        return new KnownHostsVerifier(HostKeys.userFilesOnly(List.of(file), false), tmp);
    }

    /** Asserts that {@code v} refuses the key for the host, and why. */
    private static void assertRefusedStartingWith(String why, KnownHostsVerifier v, String host, int port, PublicKey key) {
        assertFalse(v.verify(host, port, key), "refused");
        assertTrue(v.rejection().orElseThrow().startsWith(why), v.rejection().orElseThrow());
    }

    private static void assertRefusedSaying(String why, KnownHostsVerifier v, String host, int port, PublicKey key) {
        assertFalse(v.verify(host, port, key), "refused");
        assertTrue(v.rejection().orElseThrow().contains(why), v.rejection().orElseThrow());
    }

    @Test
    void aKeyPinnedInTheSystemFileIsNeitherBypassedByAcceptNewNorWrittenTo() throws Exception {
        Path global = Files.writeString(tmp.resolve("ssh_known_hosts"), "db1.example.com ssh-ed25519 " + KEY_A + "\n");
        Path user = tmp.resolve("known_hosts");
        KnownHostsVerifier v = new KnownHostsVerifier(new HostKeys(List.of(user), List.of(global), java.util.Optional.empty(), true, false), tmp);
        assertTrue(v.verify("db1.example.com", 22, key(KEY_A)));
        assertRefusedStartingWith("HOST KEY CHANGED for 'db1.example.com': " + global + ":1", v, "db1.example.com", 22, key(KEY_B));
        assertFalse(Files.exists(user), "nothing recorded for a host whose pinned key changed");
    }

    @Test
    void aHostKeyAliasIsLookedUpWithoutThePort() throws Exception {
        Path user = Files.writeString(tmp.resolve("known_hosts"), "db-primary ssh-ed25519 " + KEY_A + "\n");
        KnownHostsVerifier v = new KnownHostsVerifier(new HostKeys(List.of(user), List.of(), java.util.Optional.of("db-primary"), true, false), tmp);
        assertTrue(v.verify("10.0.0.5", 2222, key(KEY_A)));
        assertRefusedStartingWith("HOST KEY CHANGED", v, "10.0.0.5", 2222, key(KEY_B));
        assertEquals(1, Files.readAllLines(user).size(), "accept-new recorded nothing for the changed key");
    }

    @Test
    void aHostKeyAliasWrittenInCapitalsFindsTheHashedLineSshWroteInLowerCase() throws Exception {
        byte[] salt = new byte[20];
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec(salt, "HmacSHA1"));
        String hash = Base64.getEncoder().encodeToString(mac.doFinal("prod-db".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        Path user = Files.writeString(tmp.resolve("known_hosts"),
                "|1|" + Base64.getEncoder().encodeToString(salt) + "|" + hash + " ssh-ed25519 " + KEY_A + "\n");
        SshSettings s = SshTargets.settings("db", "10.0.0.5", java.util.Optional.empty(), java.util.Optional.empty(),
                java.util.Optional.empty(), SshConfig.parse("cfg", "HostKeyAlias Prod-DB\n"),
                new SshOptions(tmp, "op", List.of(user), true, List.of(), false, java.util.Optional.empty(), java.util.Optional.empty(),
                        java.util.Optional.empty(), PasswordSupplier.NONE));
        KnownHostsVerifier v = new KnownHostsVerifier(s.hostKeys(), tmp);
        assertTrue(v.verify("10.0.0.5", 22, key(KEY_A)));
        assertRefusedStartingWith("HOST KEY CHANGED", v, "10.0.0.5", 22, key(KEY_B));
        assertEquals(1, Files.readAllLines(user).size(), "accept-new recorded nothing");
    }

    @Test
    void withHashKnownHostsAcceptNewRecordsAHashedNameThatOpenSshFinds() throws Exception {
        Path user = tmp.resolve("known_hosts");
        SshSettings s = SshTargets.settings("web", "Web1.Example.com", java.util.Optional.of(2222), java.util.Optional.empty(),
                java.util.Optional.empty(), SshConfig.parse("cfg", "Host *\n  HashKnownHosts yes\n"),
                new SshOptions(tmp, "op", List.of(user), true, List.of(), false, java.util.Optional.empty(), java.util.Optional.empty(),
                        java.util.Optional.empty(), PasswordSupplier.NONE));
        assertTrue(new KnownHostsVerifier(s.hostKeys(), tmp).verify("Web1.Example.com", 2222, key(KEY_A)));
        String line = Files.readString(user);
        assertTrue(line.startsWith("|1|") && !line.toLowerCase(java.util.Locale.ROOT).contains("web1"), line);
        KnownHostsVerifier again = new KnownHostsVerifier(s.hostKeys(), tmp);
        assertTrue(again.verify("web1.example.com", 2222, key(KEY_A)), "the hashed line names the host");
        assertRefusedStartingWith("HOST KEY CHANGED", again, "web1.example.com", 2222, key(KEY_B));
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ssh-keygen")), "OpenSSH's ssh-keygen is not installed");
        Process p = new ProcessBuilder("ssh-keygen", "-F", "[web1.example.com]:2222", "-f", user.toString())
                .redirectErrorStream(true).start();
        String found = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), found);
        assertTrue(found.contains("Host [web1.example.com]:2222 found"), found);
    }

    @Test
    void withUserKnownHostsFileNoneAnUnknownKeyIsRefusedEvenWithAcceptNew() throws Exception {
        KnownHostsVerifier v = new KnownHostsVerifier(new HostKeys(List.of(), List.of(), java.util.Optional.empty(), true, false), tmp);
        assertRefusedSaying("'UserKnownHostsFile none'", v, "h", 22, key(KEY_A));
        assertFalse(Files.exists(tmp.resolve(".ssh/known_hosts")));
    }

    @Test
    void aFileIsParsedOnceForEveryHostThatIsCheckedAgainstIt() throws Exception {
        Path file = fleet(50);
        KnownHostsFiles.Parsed first = KnownHostsFiles.read(file);
        for (int i = 1; i <= 50; i++) {
            assertTrue(verifier(file).verify("127.0.2." + i, 2222, key(KEY_A)));
        }
        assertSame(first, KnownHostsFiles.read(file), "no host parsed the file again");
        assertEquals(51, first.lines().size());
    }

    @Test
    void aChangedFileIsReadAgainSoAChangedKeyIsRefused() throws Exception {
        Path file = fleet(3);
        assertTrue(verifier(file).verify("127.0.2.2", 2222, key(KEY_A)));
        Files.writeString(file, "[127.0.2.2]:2222 ssh-ed25519 " + KEY_B + "\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertRefusedStartingWith("HOST KEY CHANGED for '127.0.2.2' (port 2222): " + file + ":1 has ED25519 ",
                verifier(file), "127.0.2.2", 2222, key(KEY_A));
    }

    @Test
    void anAppendedKeyIsSeen() throws Exception {
        Path file = fleet(2);
        assertFalse(verifier(file).verify("127.0.2.9", 2222, key(KEY_B)));
        Files.writeString(file, "[127.0.2.9]:2222 ssh-ed25519 " + KEY_B + "\n", StandardOpenOption.APPEND);
        assertTrue(verifier(file).verify("127.0.2.9", 2222, key(KEY_B)));
    }

    @Test
    void hashedEntriesSharedByManyThreadsStillMatch() throws Exception {
        // ssh-keygen -H form of '[127.0.2.1]:2222', computed with HMAC-SHA1 and the salt below
        byte[] salt = new byte[20];
        for (int i = 0; i < salt.length; i++) {
            salt[i] = (byte) (i * 7);
        }
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec(salt, "HmacSHA1"));
        String hash = Base64.getEncoder().encodeToString(mac.doFinal("[127.0.2.1]:2222".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        Path file = Files.writeString(tmp.resolve("hashed"), "|1|" + Base64.getEncoder().encodeToString(salt) + "|" + hash
                + " ssh-ed25519 " + KEY_A + "\n");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                results.add(pool.submit(() -> verifier(file).verify("127.0.2." + (n % 2 == 0 ? 1 : 3), 2222, key(KEY_A))));
            }
            for (int i = 0; i < results.size(); i++) {
                assertEquals(i % 2 == 0, results.get(i).get(), "host " + (i % 2 == 0 ? 1 : 3));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anyLineWithTheKeyAcceptsItAsOpenSshDoes() throws Exception {
        // a host re-keyed whose old line was never removed: the new key is further down
        Path file = Files.writeString(tmp.resolve("kh"), "[127.0.2.1]:2222 ssh-ed25519 " + KEY_B + "\n"
                + "[127.0.2.1]:2222,[127.0.2.7]:2222 ssh-ed25519 " + KEY_A + "\n");
        assertTrue(verifier(file).verify("127.0.2.1", 2222, key(KEY_A)));
        assertTrue(verifier(file).verify("127.0.2.7", 2222, key(KEY_A)), "second name of a multi-name line");
        assertRefusedStartingWith("HOST KEY CHANGED for '127.0.2.7' (port 2222): " + file + ":2 has ED25519 ",
                verifier(file), "127.0.2.7", 2222, key(KEY_B));
    }

    @Test
    void aRevokedKeyIsRefusedEvenWhereAnotherLineListsIt() throws Exception {
        Path file = Files.writeString(tmp.resolve("kh"), "[127.0.2.1]:2222 ssh-ed25519 " + KEY_A + "\n"
                + "@revoked * ssh-ed25519 " + KEY_A + "\n");
        assertRefusedStartingWith("host key for '127.0.2.1' (port 2222) is REVOKED: " + file + ":2 marks ED25519 SHA256:",
                verifier(file), "127.0.2.1", 2222, key(KEY_A));
        // the revocation names KEY_A only: a host listed with KEY_B is unaffected
        Files.writeString(file, "[127.0.2.2]:2222 ssh-ed25519 " + KEY_B + "\n", StandardOpenOption.APPEND);
        assertTrue(verifier(file).verify("127.0.2.2", 2222, key(KEY_B)));
    }

    @Test
    void patternsAndCaseFindTheirLinesThroughTheIndex() throws Exception {
        Path file = Files.writeString(tmp.resolve("kh"), "web1.example.com ssh-ed25519 " + KEY_A + "\n"
                + "db*.example.com,!db9.example.com ssh-ed25519 " + KEY_B + "\n");
        assertTrue(verifier(file).verify("WEB1.Example.com", 22, key(KEY_A)), "ssh lower-cases host names");
        assertTrue(verifier(file).verify("db3.example.com", 22, key(KEY_B)));
        assertRefusedSaying("is not known",
                verifier(file), "db9.example.com", 22, key(KEY_B));
        assertEquals(List.of(2), KnownHostsFiles.read(file).candidates("db3.example.com").stream().map(KnownHostsFiles.Line::number).toList());
        assertEquals(List.of(1, 2), KnownHostsFiles.read(file).candidates("web1.example.com").stream().map(KnownHostsFiles.Line::number).toList());
    }

    @Test
    void aLineWithCapitalsStillSpeaksForItsHostSoAChangedKeyIsNotTakenForANewOne() throws Exception {
        Path file = Files.writeString(tmp.resolve("kh"), "Web1.example.com ssh-ed25519 " + KEY_A + "\n");
        assertRefusedStartingWith("HOST KEY CHANGED for 'Web1.example.com': " + file + ":1",
                new KnownHostsVerifier(HostKeys.userFilesOnly(List.of(file), true), tmp), "Web1.example.com", 22, key(KEY_B));
        assertEquals(1, Files.readAllLines(file).size(), "nothing recorded");
        assertTrue(verifier(file).verify("web1.example.com", 22, key(KEY_A)));
    }

    @Test
    void aCertAuthorityLineNeverAcceptsAPlainKeyEvenTheCaKeyItself() throws Exception {
        Path file = Files.writeString(tmp.resolve("kh"), "@cert-authority *.example.com ssh-ed25519 " + KEY_A + "\n");
        assertRefusedSaying("is not known",
                verifier(file), "web1.example.com", 22, key(KEY_A));
    }

    @Test
    void aGarbledLineStopsNoOtherHostAndItsOwnHostsFailClosed() throws Exception {
        String truncated = Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(Base64.getDecoder().decode(KEY_B), 30));
        Path file = Files.writeString(tmp.resolve("kh"), "[127.0.2.9]:2222 ssh-ed25519 " + truncated + "\n"
                + "[127.0.2.8]:2222 ssh-ed25519 not*base64\n"
                + "|1|garbled ssh-ed25519 " + KEY_B + "\n"
                + "[127.0.2.1]:2222 ssh-ed25519 " + KEY_A + "\n");
        assertTrue(verifier(file).verify("127.0.2.1", 2222, key(KEY_A)));
        // a host whose line cannot be read is not a new host: accept-new must not add a key for it
        for (int host : new int[] {9, 8}) {
            KnownHostsVerifier v = new KnownHostsVerifier(HostKeys.userFilesOnly(List.of(file), true), tmp);
            assertFalse(v.verify("127.0.2." + host, 2222, key(KEY_B)));
            assertTrue(v.rejection().orElseThrow().startsWith("HOST KEY CHANGED for '127.0.2." + host + "' (port 2222): " + file + ":" + (10 - host)),
                    v.rejection().orElseThrow());
        }
        assertEquals(4, Files.readAllLines(file).size(), "nothing recorded");
    }

    @Test
    void aLineWhoseKeyIsNotOfTheTypeItNamesAcceptsNothingAsSshReadsNoKeyFromIt() throws Exception {
        // ssh 9.2: "No ED25519 host key is known" for each of these lines holding the host's ed25519 key
        for (String type : List.of("ssh-rsa", "ecdsa-sha2-nistp256", "ED25519", "ssh-ed25519-cert-v01@openssh.com")) {
            Path file = Files.writeString(tmp.resolve("kh-" + type), "[127.0.2.1]:2222 " + type + " " + KEY_A + "\n");
            KnownHostsVerifier v = new KnownHostsVerifier(HostKeys.userFilesOnly(List.of(file), true), tmp);
            assertFalse(v.verify("127.0.2.1", 2222, key(KEY_A)), type);
            assertEquals(1, Files.readAllLines(file).size(), "nothing recorded");
        }
        // an RSA key may be named by its signature algorithms, as ssh reads it
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        PublicKey rsa = g.generateKeyPair().getPublic();
        String blob = Base64.getEncoder().encodeToString(KnownHostsVerifier.blob(rsa));
        for (String type : List.of("ssh-rsa", "rsa-sha2-256", "rsa-sha2-512")) {
            Path file = Files.writeString(tmp.resolve("kh-" + type), "[127.0.2.1]:2222 " + type + " " + blob + "\n");
            assertTrue(verifier(file).verify("127.0.2.1", 2222, rsa), type);
        }
    }

    @Test
    void aKeyWrittenWithANonCanonicalEncodingIsStillThatKey() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        java.security.interfaces.RSAPublicKey rsa = (java.security.interfaces.RSAPublicKey) g.generateKeyPair().getPublic();
        // the exponent as an mpint with two needless leading zero bytes: other bytes, the same key
        byte[] e = rsa.getPublicExponent().toByteArray();
        byte[] padded = new byte[e.length + 2];
        System.arraycopy(e, 0, padded, 2, e.length);
        byte[] blob = new Buffer.PlainBuffer().putString("ssh-rsa").putBytes(padded).putMPInt(rsa.getModulus()).getCompactData();
        assertFalse(java.util.Arrays.equals(blob, KnownHostsVerifier.blob(rsa)));
        Path file = Files.writeString(tmp.resolve("kh"), "[127.0.2.1]:2222 ssh-rsa " + Base64.getEncoder().encodeToString(blob) + "\n");
        assertTrue(verifier(file).verify("127.0.2.1", 2222, rsa));
        PublicKey other = g.generateKeyPair().getPublic();
        assertRefusedStartingWith("HOST KEY CHANGED",
                verifier(file), "127.0.2.1", 2222, other);
    }

    @Test
    void aLineWithAMarkerOpenSshDoesNotKnowIsIgnoredNotReadAsAPlainLine() throws Exception {
        // '@revoke' (a typo for @revoked) must not turn into "this key is good for every host"
        Path file = Files.writeString(tmp.resolve("kh"), "@revoke * ssh-ed25519 " + KEY_A + "\n");
        assertRefusedSaying("is not known",
                verifier(file), "web1.example.com", 22, key(KEY_A));
    }

    private static PublicKey rsaKey() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair().getPublic();
    }

    private static String line(String host, PublicKey key) {
        return host + " " + net.schmizz.sshj.common.KeyType.fromKey(key) + " "
                + Base64.getEncoder().encodeToString(KnownHostsVerifier.blob(key)) + "\n";
    }

    @Test
    void aHostPinnedByAnRsaKeyIsAskedForItsRsaKeyWithSha2Signatures() throws Exception {
        Path file = Files.writeString(tmp.resolve("kh"), line("[127.0.2.1]:2222", rsaKey()));
        assertEquals(List.of("rsa-sha2-512", "rsa-sha2-256"), verifier(file).findExistingAlgorithms("127.0.2.1", 2222));
    }

    @Test
    void aKeyOfAnotherTypeThanThePinnedOneIsAChangedKeyNotANewOneEvenWithAcceptNew() throws Exception {
        // as OpenSSH 9.2: any plain key listed for the host that is not the offered one makes it changed
        Path file = Files.writeString(tmp.resolve("kh"), line("[127.0.2.1]:2222", rsaKey()));
        KnownHostsVerifier acceptNew = new KnownHostsVerifier(HostKeys.userFilesOnly(List.of(file), true), tmp);
        assertRefusedStartingWith("HOST KEY CHANGED for '127.0.2.1' (port 2222): " + file + ":1 has RSA SHA256:",
                acceptNew, "127.0.2.1", 2222, key(KEY_A));
        assertTrue(acceptNew.rejection().orElseThrow().contains("the host offered ED25519 SHA256:"), acceptNew.rejection().orElseThrow());
        assertEquals(1, Files.readAllLines(file).size(), "accept-new recorded nothing");
        assertRefusedStartingWith("HOST KEY CHANGED", verifier(file), "127.0.2.1", 2222, key(KEY_A));
    }

    @Test
    void aHostOnAnotherPortIsFoundUnderItsNameWithoutThePortAsSshFindsIt() throws Exception {
        Path file = Files.writeString(tmp.resolve("kh"), "127.0.2.40 ssh-ed25519 " + KEY_A + "\n");
        KnownHostsVerifier acceptNew = new KnownHostsVerifier(HostKeys.userFilesOnly(List.of(file), true), tmp);
        assertTrue(acceptNew.verify("127.0.2.40", 2222, key(KEY_A)), "found matching key w/out port");
        assertEquals(1, Files.readAllLines(file).size(), "no duplicate recorded");
        // only the same key counts there: another key under the bare name is neither changed nor accepted
        assertRefusedSaying("is not known", verifier(file), "127.0.2.40", 2222, key(KEY_B));
        assertTrue(acceptNew.verify("127.0.2.40", 2222, key(KEY_B)));
        assertEquals("[127.0.2.40]:2222 ssh-ed25519 " + KEY_B, Files.readAllLines(file).get(1));
        // with a HostKeyAlias the alias is the only name
        KnownHostsVerifier aliased = new KnownHostsVerifier(new HostKeys(List.of(file), List.of(), java.util.Optional.of("db"), false, false), tmp);
        assertRefusedSaying("is not known", aliased, "127.0.2.40", 2222, key(KEY_A));
    }

    @Test
    void aKeyRevokedUnderTheNameWithoutThePortIsRefused() throws Exception {
        Path file = Files.writeString(tmp.resolve("kh"), "@revoked 127.0.2.40 ssh-ed25519 " + KEY_A + "\n");
        assertRefusedStartingWith("host key for '127.0.2.40' (port 2222) is REVOKED: " + file + ":1",
                new KnownHostsVerifier(HostKeys.userFilesOnly(List.of(file), true), tmp), "127.0.2.40", 2222, key(KEY_A));
        assertEquals(1, Files.readAllLines(file).size(), "nothing recorded");
    }

    @Test
    void aDirectoryNamedAsAKnownHostsFileIsSkippedAsSshSkipsIt() throws Exception {
        Path global = Files.createDirectory(tmp.resolve("ssh_known_hosts"));
        Path user = Files.writeString(tmp.resolve("known_hosts"), "web1 ssh-ed25519 " + KEY_A + "\n");
        KnownHostsVerifier v = new KnownHostsVerifier(new HostKeys(List.of(user), List.of(global), java.util.Optional.empty(), false, false), tmp);
        assertTrue(v.verify("web1", 22, key(KEY_A)));
        assertRefusedSaying("is not known", v, "web2", 22, key(KEY_A));
        assertEquals(List.of("ssh-ed25519"), v.findExistingAlgorithms("web1", 22));
    }
}
