package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host certificates against known_hosts, as OpenSSH 9.2's ssh checks them. */
class KnownHostsCertificatesTest {
    @TempDir
    Path tmp;

    private SshKeygen keygen;

    @BeforeEach
    void keys() throws Exception {
        keygen = new SshKeygen(tmp);
        keygen.key("ca", "ed25519");
        keygen.key("host", "ed25519");
    }

    private KnownHostsVerifier verifier(String knownHosts, Optional<String> alias, boolean acceptNew) throws Exception {
        Path file = Files.writeString(tmp.resolve("known_hosts"), knownHosts);
        return new KnownHostsVerifier(new HostKeys(List.of(file), List.of(), alias, acceptNew, false), tmp);
    }

    private static String refused(KnownHostsVerifier v, String host, int port, PublicKey key) {
        assertFalse(v.verify(host, port, key), "refused");
        return v.rejection().orElseThrow();
    }

    @Test
    void aRevokedHostCertificateIsNamedByTheFingerprintOfItsOwnKey() throws Exception {
        PublicKey cert = keygen.certificate("ca", "host", "web1.example.com", "-5m:+1h");
        KnownHostsVerifier v = verifier(keygen.line("@cert-authority", "*", "ca") + keygen.line("@revoked", "*", "host"),
                Optional.empty(), false);
        String why = refused(v, "web1.example.com", 22, cert);
        assertTrue(why.contains("marks ED25519 " + keygen.fingerprint("host") + " as revoked"), why);
    }
}
