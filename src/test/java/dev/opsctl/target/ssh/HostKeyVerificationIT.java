package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.TargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Host keys against real sshd servers with several keys, compared with what OpenSSH 9.2's ssh does. */
class HostKeyVerificationIT {
    @RegisterExtension
    static final OpenSshServer THREE_KEYS = new OpenSshServer("127.0.1.60", "DEBUG1").withHostKey("ecdsa").withHostKey("rsa");

    @RegisterExtension
    static final OpenSshServer SHA1_ALLOWED = new OpenSshServer("127.0.1.61", "DEBUG1").withHostKey("ecdsa").withHostKey("rsa")
            .withConfig("HostKeyAlgorithms +ssh-rsa");

    @RegisterExtension
    static final OpenSshServer DSA_ONLY = new OpenSshServer("127.0.1.62", "DEBUG1", "dsa").withConfig("HostKeyAlgorithms +ssh-dss");

    @RegisterExtension
    static final OpenSshServer SHA1_ONLY = new OpenSshServer("127.0.1.63", "DEBUG1", "rsa").withConfig("HostKeyAlgorithms ssh-rsa");

    @RegisterExtension
    static final OpenSshServer RSA_CERTIFICATE = new OpenSshServer("127.0.1.64", "DEBUG1", "rsa").withHostCertificate();

    @RegisterExtension
    static final OpenSshServer ALIAS_CERTIFICATE = new OpenSshServer("127.0.1.65", "DEBUG1").withHostCertificate("web9.example");

    static SshSettings with(OpenSshServer server, Path known, boolean acceptNew) {
        SshSettings s = server.settings();
        return new SshSettings(s.name(), s.hostName(), s.port(), s.user(), s.identityFiles(), false, Optional.empty(), s.jumps(),
                List.of(known), acceptNew, s.connectTimeout(), s.serverAliveInterval(), PasswordSupplier.NONE);
    }

    /** The server's settings with {@code HostKeyAlias alias}, checked against {@code known} only. */
    static SshSettings withAlias(OpenSshServer server, Path known, String alias) {
        SshSettings s = with(server, known, false);
        return new SshSettings(s.name(), s.hostName(), s.port(), s.user(), s.identityFiles(), false, Optional.empty(), s.jumps(),
                new HostKeys(List.of(known), List.of(), Optional.of(alias), false, false), s.connectTimeout(),
                s.serverAliveInterval(), PasswordSupplier.NONE, false, Optional.empty(), 3);
    }

    static TargetException failure(OpenSshServer server, SshSettings s) {
        try (SshTarget t = new SshTarget(s, server.dir())) {
            return assertThrows(TargetException.class, () -> t.exec(ExecRequest.of("true")));
        }
    }

    static void connects(OpenSshServer server, SshSettings s) throws Exception {
        try (SshTarget t = new SshTarget(s, server.dir())) {
            assertEquals(0, t.exec(ExecRequest.of("true")).exitCode());
        }
    }

    /** The host key algorithm of the server's latest key exchange, as its log says. */
    static String lastHostKeyAlgorithm(OpenSshServer server) {
        String mark = "kex: host key algorithm: ";
        String log = server.log();
        int at = log.lastIndexOf(mark);
        return at < 0 ? "(none in the log)" : log.substring(at + mark.length()).lines().findFirst().orElse("").replace("[preauth]", "").strip();
    }

    /** A known_hosts file naming the server with a new RSA key of its own: the server's "old" key. */
    static Path oldRsaKeyFor(OpenSshServer server) throws Exception {
        Path dir = Files.createTempDirectory("kh");
        OpenSshServer.run("ssh-keygen", "-q", "-t", "rsa", "-N", "", "-f", dir.resolve("old").toString());
        String[] pub = Files.readString(dir.resolve("old.pub")).strip().split(" ");
        return Files.writeString(dir.resolve("known_hosts"), "[" + server.address() + "]:" + server.port() + " " + pub[0] + " " + pub[1] + "\n");
    }

    @Test
    void aHostPinnedOnlyByItsRsaKeyIsCheckedAgainstThatKeySignedWithSha2() throws Exception {
        for (OpenSshServer server : List.of(THREE_KEYS, SHA1_ALLOWED)) {
            Path known = Files.writeString(Files.createTempDirectory("kh").resolve("known_hosts"), server.hostLine("rsa"));
            connects(server, with(server, known, false));
            assertEquals("rsa-sha2-512", lastHostKeyAlgorithm(server), server.address());
        }
    }

    @Test
    void acceptNewRefusesAHostWhoseRsaKeyChangedInsteadOfRecordingItsOtherKey() throws Exception {
        Path known = oldRsaKeyFor(THREE_KEYS);
        TargetException e = failure(THREE_KEYS, with(THREE_KEYS, known, true));
        assertEquals(TargetException.Kind.HOST_KEY, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("HOST KEY CHANGED for '127.0.1.60' (port " + THREE_KEYS.port() + "): " + known + ":1 has RSA"),
                e.getMessage());
        assertEquals(1, Files.readAllLines(known).size(), "nothing recorded");
    }

    @Test
    void aHostOfferingOnlyDsaOrSha1RsaHostKeysIsRefusedAndNothingIsRecordedAsSsh92RefusesThem() throws Exception {
        for (OpenSshServer server : List.of(DSA_ONLY, SHA1_ONLY)) {
            Path known = Files.createTempDirectory("kh").resolve("known_hosts");
            TargetException e = failure(server, with(server, known, true));
            assertEquals(TargetException.Kind.HOST_KEY, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("no host key type in common with '" + server.address() + ":" + server.port()
                    + "': it offers '" + (server == DSA_ONLY ? "ssh-dss" : "ssh-rsa") + "'"), e.getMessage());
            assertFalse(Files.exists(known), "nothing recorded for " + server.address());
        }
    }

    @Test
    void anRsaHostCertificateIsCheckedWithSha2Signatures() throws Exception {
        Path known = Files.writeString(Files.createTempDirectory("kh").resolve("known_hosts"),
                RSA_CERTIFICATE.certAuthorityLine("[127.0.1.64]:*"));
        connects(RSA_CERTIFICATE, with(RSA_CERTIFICATE, known, false));
        assertEquals("rsa-sha2-512-cert-v01@openssh.com", lastHostKeyAlgorithm(RSA_CERTIFICATE));
    }

    @Test
    void aHostCertificateMustListTheHostKeyAliasAsSshChecksIt() throws Exception {
        Path known = Files.writeString(Files.createTempDirectory("kh").resolve("known_hosts"),
                ALIAS_CERTIFICATE.certAuthorityLine("web9.example"));
        connects(ALIAS_CERTIFICATE, withAlias(ALIAS_CERTIFICATE, known, "web9.example"));
        assertEquals("ssh-ed25519-cert-v01@openssh.com", lastHostKeyAlgorithm(ALIAS_CERTIFICATE));

        // RSA_CERTIFICATE's lists only its address, 127.0.1.64: not the name ssh checks
        Files.writeString(known, RSA_CERTIFICATE.certAuthorityLine("web9.example"));
        TargetException e = failure(RSA_CERTIFICATE, withAlias(RSA_CERTIFICATE, known, "web9.example"));
        assertEquals(TargetException.Kind.HOST_KEY, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("'web9.example' is not among its principals ('127.0.1.64')"), e.getMessage());
    }

    @Test
    void aCertificateNoCaVouchesForFallsBackToItsPlainKeyWhichAcceptNewRecords() throws Exception {
        Path known = Files.createTempDirectory("kh").resolve("known_hosts");
        connects(ALIAS_CERTIFICATE, with(ALIAS_CERTIFICATE, known, true));
        assertEquals(ALIAS_CERTIFICATE.hostLine(), Files.readString(known));
        connects(ALIAS_CERTIFICATE, with(ALIAS_CERTIFICATE, known, false));
    }

    @Test
    void aRevokedCertificateRevokesTheHostsPlainKeyAsSshDoes() throws Exception {
        String[] cert = Files.readString(ALIAS_CERTIFICATE.dir().resolve("host_key-cert.pub")).strip().split(" ");
        Path known = Files.writeString(Files.createTempDirectory("kh").resolve("known_hosts"),
                "@revoked * " + cert[0] + " " + cert[1] + "\n" + ALIAS_CERTIFICATE.hostLine());
        TargetException e = failure(ALIAS_CERTIFICATE, with(ALIAS_CERTIFICATE, known, true));
        assertEquals(TargetException.Kind.HOST_KEY, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("host key for '127.0.1.65' (port " + ALIAS_CERTIFICATE.port() + ") is REVOKED: " + known
                + ":1 marks ED25519"), e.getMessage());
        assertEquals("ssh-ed25519", lastHostKeyAlgorithm(ALIAS_CERTIFICATE), "the plain key was offered");
    }

    @Test
    void anUnknownHostBehindAJumpHostIsToBeScannedThroughIt() throws Exception {
        Path jumpKnown = Files.writeString(Files.createTempDirectory("kh").resolve("known_hosts"), THREE_KEYS.hostLine());
        Path known = Files.createTempDirectory("kh").resolve("known_hosts");
        SshSettings s = with(ALIAS_CERTIFICATE, known, false).withJumps(List.of(with(THREE_KEYS, jumpKnown, false)));
        TargetException e = failure(ALIAS_CERTIFICATE, s);
        assertEquals(TargetException.Kind.HOST_KEY, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("add it with --accept-new-host-keys or, through the jump host '127.0.1.60', with: ssh 127.0.1.60"
                + " 'ssh-keyscan -p " + ALIAS_CERTIFICATE.port() + " 127.0.1.65' >> " + known), e.getMessage());
    }
}
