package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    @Test
    void aRevokedCertificateRevokesItsKeyPresentedPlainOrInAnotherCertificateAsSshDoes() throws Exception {
        keygen.certificate("ca", "host", "web1", "-5m:+1h");
        String revoked = keygen.line("@revoked", "*", "host-cert"); // the line copied from host-cert.pub
        PublicKey plain = keygen.publicKey("host.pub");
        String why = refused(verifier(revoked + keygen.line("", "web1", "host"), Optional.empty(), false), "web1", 22, plain);
        assertTrue(why.startsWith("host key for 'web1' is REVOKED: " + tmp.resolve("known_hosts") + ":1 marks ED25519 "
                + keygen.fingerprint("host") + " as revoked"), why);
        refused(verifier(revoked, Optional.empty(), true), "web1", 22, plain);
        assertEquals(1, Files.readAllLines(tmp.resolve("known_hosts")).size(), "accept-new recorded nothing");
        PublicKey reissued = keygen.certificate("ca", "host", "web1", "-1m:+2h");
        refused(verifier(revoked + keygen.line("@cert-authority", "*", "ca"), Optional.empty(), false), "web1", 22, reissued);
    }

    @Test
    void aCertAuthorityLineHoldingACertificateOfTheCaKeyTrustsThatKeyAsSshDoes() throws Exception {
        keygen.key("root-ca", "ed25519");
        keygen.certificate("root-ca", "ca", "", "-5m:+1h");
        PublicKey cert = keygen.certificate("ca", "host", "web1", "-5m:+1h");
        assertTrue(verifier(keygen.line("@cert-authority", "*", "ca-cert"), Optional.empty(), false).verify("web1", 22, cert));
    }

    @Test
    void aCertificateSignedByAKeyThatIsItselfACertificateIsRefusedAsSshRefusesToReadIt() throws Exception {
        keygen.key("root-ca", "ed25519");
        PublicKey valid = keygen.certificate("ca", "host", "web1", "-5m:+1h");
        byte[] caCertificate = KnownHostsVerifier.blob(keygen.certificate("root-ca", "ca", "", "-5m:+1h"));
        // the valid certificate's fields, its signature key replaced by the CA's certificate, signed again by the CA
        byte[] blob = KnownHostsVerifier.blob(valid);
        net.schmizz.sshj.common.Buffer.PlainBuffer b = new net.schmizz.sshj.common.Buffer.PlainBuffer(blob);
        b.readString();
        b.readBytes();
        b.readBytes();
        b.readUInt64();
        b.readUInt32();
        b.readString();
        b.readBytes();
        b.readUInt64();
        b.readUInt64();
        b.readBytes();
        b.readBytes();
        b.readBytes();
        byte[] body = new net.schmizz.sshj.common.Buffer.PlainBuffer().putRawBytes(java.util.Arrays.copyOf(blob, b.rpos()))
                .putBytes(caCertificate).getCompactData();
        com.hierynomus.sshj.userauth.keyprovider.OpenSSHKeyV1KeyFile caKey = new com.hierynomus.sshj.userauth.keyprovider.OpenSSHKeyV1KeyFile();
        caKey.init(tmp.resolve("ca").toFile());
        Ed25519Signature signer = new Ed25519Signature();
        signer.initSign(caKey.getPrivate());
        signer.update(body);
        byte[] signature = new net.schmizz.sshj.common.Buffer.PlainBuffer().putString("ssh-ed25519").putBytes(signer.sign()).getCompactData();
        PublicKey forged = new net.schmizz.sshj.common.Buffer.PlainBuffer(
                new net.schmizz.sshj.common.Buffer.PlainBuffer().putRawBytes(body).putBytes(signature).getCompactData()).readPublicKey();
        String why = refused(verifier(keygen.line("@cert-authority", "*", "ca") + keygen.line("", "web1", "host"), Optional.empty(), true),
                "web1", 22, forged);
        assertTrue(why.startsWith("host certificate for 'web1' is signed by a key that is itself a certificate"), why);
    }

    @Test
    void aCertificateIsReadAndWrittenBackToTheBytesItsCaSigned() throws Exception {
        keygen.certificate("ca", "host", "web1.example.com,10.0.0.5", "-5m:+1h");
        assertTrue(java.util.Arrays.equals(keygen.blob("host-cert.pub"), KnownHostsVerifier.blob(keygen.publicKey("host-cert.pub"))));
    }

    @Test
    void theCertificateMustListTheHostKeyAliasNotTheAddressDialled() throws Exception {
        String ca = keygen.line("@cert-authority", "web9.example", "ca");
        PublicKey forAddress = keygen.certificate("ca", "host", "127.0.2.45", "-5m:+1h");
        String why = refused(verifier(ca, Optional.of("web9.example"), false), "127.0.2.45", 22, forAddress);
        assertTrue(why.contains("'web9.example' is not among its principals ('127.0.2.45')"), why);
        PublicKey forAlias = keygen.certificate("ca", "host", "web9.example", "-5m:+1h");
        assertTrue(verifier(ca, Optional.of("web9.example"), false).verify("127.0.2.45", 22, forAlias));
    }

    @Test
    void aPrincipalIsANameNotAPatternAndTheHostNameIsComparedLowerCased() throws Exception {
        String ca = keygen.line("@cert-authority", "*.example.com", "ca");
        PublicKey wildcard = keygen.certificate("ca", "host", "*.example.com", "-5m:+1h");
        String why = refused(verifier(ca, Optional.empty(), false), "web1.example.com", 22, wildcard);
        assertTrue(why.contains("'web1.example.com' is not among its principals ('*.example.com')"), why);
        PublicKey exact = keygen.certificate("ca", "host", "web1.example.com", "-5m:+1h");
        assertTrue(verifier(ca, Optional.empty(), false).verify("Web1.Example.com", 22, exact));
    }

    @Test
    void anExpiredOrNotYetValidCertificateIsNotValid() throws Exception {
        String ca = keygen.line("@cert-authority", "*", "ca");
        String expired = refused(verifier(ca, Optional.empty(), false), "h", 22, keygen.certificate("ca", "host", "h", "-2h:-1h"));
        assertTrue(expired.contains("it expired at "), expired);
        String early = refused(verifier(ca, Optional.empty(), false), "h", 22, keygen.certificate("ca", "host", "h", "+1h:+2h"));
        assertTrue(early.contains("it is not valid before "), early);
    }

    @Test
    void aUserCertificateIsNoHostCertificate() throws Exception {
        OpenSshServer.run("ssh-keygen", "-q", "-s", tmp.resolve("ca").toString(), "-I", "user", "-n", "h", "-V", "-5m:+1h",
                tmp.resolve("host.pub").toString());
        String why = refused(verifier(keygen.line("@cert-authority", "*", "ca"), Optional.empty(), false), "h", 22,
                keygen.publicKey("host-cert.pub"));
        assertTrue(why.contains("it is not a host certificate"), why);
    }

    @Test
    void aCertificateSignedWithSha1RsaIsNotValidAndOneWhoseSignatureFailsIsForged() throws Exception {
        keygen.key("rsa-ca", "rsa");
        String rsaCa = keygen.line("@cert-authority", "*", "rsa-ca");
        String sha1 = refused(verifier(rsaCa, Optional.empty(), false), "h", 22, keygen.certificate("rsa-ca", "host", "h", "-5m:+1h",
                "-t", "ssh-rsa"));
        assertTrue(sha1.contains("its CA signed it with 'ssh-rsa', which OpenSSH 9.2 does not accept from a CA"), sha1);
        keygen.certificate("ca", "host", "h", "-5m:+1h");
        byte[] blob = keygen.blob("host-cert.pub");
        byte[] tampered = new String(blob, java.nio.charset.StandardCharsets.ISO_8859_1).replace("cert of host", "cert of hosT")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        PublicKey forged = new net.schmizz.sshj.common.Buffer.PlainBuffer(tampered).readPublicKey();
        String why = refused(verifier(keygen.line("@cert-authority", "*", "ca"), Optional.empty(), true), "h", 22, forged);
        assertTrue(why.contains("does not verify with the CA key it names"), why);
    }

    @Test
    void withNoCaToTrustItAcceptNewRecordsTheCertificatesOwnKeyAsSshDoes() throws Exception {
        PublicKey cert = keygen.certificate("ca", "host", "127.0.2.1", "-5m:+1h");
        assertTrue(verifier("", Optional.empty(), true).verify("127.0.2.1", 2222, cert));
        assertEquals(keygen.line("", "[127.0.2.1]:2222", "host"), Files.readString(tmp.resolve("known_hosts")));
        assertTrue(verifier(Files.readString(tmp.resolve("known_hosts")), Optional.empty(), false).verify("127.0.2.1", 2222, cert));
    }

    @Test
    void aCertificateFromANewCaIsAcceptedByTheHostsListedPlainKey() throws Exception {
        keygen.key("old-ca", "ed25519");
        PublicKey cert = keygen.certificate("ca", "host", "web1.example.com", "-5m:+1h");
        String known = keygen.line("@cert-authority", "*.example.com", "old-ca") + keygen.line("", "web1.example.com", "host");
        assertTrue(verifier(known, Optional.empty(), false).verify("web1.example.com", 22, cert));
        // an invalid certificate too: its key is what the plain line checks
        PublicKey expired = keygen.certificate("old-ca", "host", "web1.example.com", "-2h:-1h");
        assertTrue(verifier(known, Optional.empty(), false).verify("web1.example.com", 22, expired));
    }

    @Test
    void aCertificateNotAcceptedWhoseKeyIsNotTheListedOneIsAChangedKeyAndSaysWhy() throws Exception {
        keygen.key("other", "ed25519");
        PublicKey cert = keygen.certificate("ca", "host", "db1", "-5m:+1h");
        String known = keygen.line("@cert-authority", "*", "ca") + keygen.line("", "web1", "other");
        KnownHostsVerifier v = verifier(known, Optional.empty(), true);
        String why = refused(v, "web1", 22, cert);
        assertTrue(why.startsWith("HOST KEY CHANGED for 'web1': " + tmp.resolve("known_hosts") + ":2 has ED25519 "
                + keygen.fingerprint("other") + " but the host offered ED25519 " + keygen.fingerprint("host")
                + " (its certificate was not accepted: 'web1' is not among its principals ('db1')"), why);
        assertEquals(2, Files.readAllLines(tmp.resolve("known_hosts")).size(), "nothing recorded");
        String unknown = refused(verifier(keygen.line("@cert-authority", "*", "ca"), Optional.empty(), false), "web1", 22, cert);
        assertTrue(unknown.startsWith("host key for 'web1' is not known: ED25519 " + keygen.fingerprint("host")
                + "; its certificate was not accepted: 'web1' is not among its principals"), unknown);
    }

    @Test
    void aCaTrustedForTheNameWithoutThePortVouchesForTheHostOnAnyPort() throws Exception {
        PublicKey cert = keygen.certificate("ca", "host", "web1.example.com", "-5m:+1h");
        KnownHostsVerifier v = verifier(keygen.line("@cert-authority", "*.example.com", "ca"), Optional.empty(), true);
        assertTrue(v.verify("web1.example.com", 2222, cert));
        assertEquals(1, Files.readAllLines(tmp.resolve("known_hosts")).size(), "nothing recorded");
    }
}
