package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import java.util.List;
import javax.crypto.KeyAgreement;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.Ed25519KeyFactory;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.common.SSHRuntimeException;
import net.schmizz.sshj.signature.Signature;
import net.schmizz.sshj.transport.kex.KeyExchange;
import org.junit.jupiter.api.Test;

/** The BouncyCastle curve25519 key exchange and ed25519 signature agree with the JDK's byte for byte. */
class FastCryptoTest {
    private static final byte[] MESSAGE = "session id and userauth request".getBytes(StandardCharsets.UTF_8);

    private static byte[] sshSignature(byte[] blob) {
        return new Buffer.PlainBuffer().putString("ssh-ed25519").putBytes(blob).getCompactData();
    }

    private static byte[] jdkSign(KeyPair pair, byte[] m) throws GeneralSecurityException {
        java.security.Signature s = java.security.Signature.getInstance("Ed25519");
        s.initSign(pair.getPrivate());
        s.update(m);
        return s.sign();
    }

    private static Signature verifier(PublicKey key, byte[] m) {
        Signature s = Ed25519Signature.FACTORY.create();
        s.initVerify(key);
        s.update(m);
        return s;
    }

    @Test
    void signsExactlyTheBytesTheJdkSignsForTheSameKey() throws Exception {
        for (int i = 0; i < 20; i++) {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            Signature ours = Ed25519Signature.FACTORY.create();
            ours.initSign(pair.getPrivate());
            ours.update(MESSAGE, 0, 7);
            ours.update(MESSAGE, 7, MESSAGE.length - 7);
            assertArrayEquals(jdkSign(pair, MESSAGE), ours.encode(ours.sign()));
        }
    }

    @Test
    void readsTheSeedOfAKeyAsSshjDecodesItFromAnOpenSshKeyFile() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] seed = Ed25519Signature.seed(pair.getPrivate());
        assertEquals(32, seed.length);
        // sshj builds its ed25519 private keys from a PKCS#8 header it carries
        assertArrayEquals(seed, Ed25519Signature.seed(Ed25519KeyFactory.getPrivateKey(seed)));
        byte[] pkcs8 = pair.getPrivate().getEncoded();
        assertArrayEquals(seed, Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length));
    }

    @Test
    void verifiesJdkSignaturesAndRejectsATamperedMessageSignatureOrKey() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] sig = jdkSign(pair, MESSAGE);
        assertTrue(verifier(pair.getPublic(), MESSAGE).verify(sshSignature(sig)));

        byte[] flipped = sig.clone();
        flipped[10] ^= 1;
        assertFalse(verifier(pair.getPublic(), MESSAGE).verify(sshSignature(flipped)));
        byte[] changed = MESSAGE.clone();
        changed[0] ^= 1;
        assertFalse(verifier(pair.getPublic(), changed).verify(sshSignature(sig)));
        assertFalse(verifier(other.getPublic(), MESSAGE).verify(sshSignature(sig)));
        assertFalse(verifier(pair.getPublic(), MESSAGE).verify(sshSignature(Arrays.copyOf(sig, 63))));
        byte[] s = MESSAGE;
        assertThrows(SSHRuntimeException.class, () -> verifier(pair.getPublic(), s)
                .verify(new Buffer.PlainBuffer().putString("ssh-rsa").putBytes(sig).getCompactData()));
    }

    @Test
    void verifiesAKeyDecodedTheWaySshjReadsAHostKeyFromTheWire() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] der = pair.getPublic().getEncoded();
        PublicKey wire = Ed25519KeyFactory.getPublicKey(Arrays.copyOfRange(der, der.length - 32, der.length));
        assertTrue(verifier(wire, MESSAGE).verify(sshSignature(jdkSign(pair, MESSAGE))));
    }

    @Test
    void refusesKeysThatAreNotEd25519() throws Exception {
        KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        KeyPair ec = KeyPairGenerator.getInstance("EC").generateKeyPair();
        Signature s = Ed25519Signature.FACTORY.create();
        assertThrows(SSHRuntimeException.class, () -> s.initVerify(rsa.getPublic()));
        assertThrows(SSHRuntimeException.class, () -> s.initVerify(ec.getPublic()));
        assertThrows(SSHRuntimeException.class, () -> s.initSign(rsa.getPrivate()));
        assertThrows(SSHRuntimeException.class, () -> s.initSign(ec.getPrivate()));
    }

    @Test
    void x25519SharedSecretIsTheJdksForTheSameKeys() throws Exception {
        for (int i = 0; i < 20; i++) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("X25519");
            KeyPair jdk = g.generateKeyPair();
            byte[] ours = new byte[32];
            org.bouncycastle.math.ec.rfc7748.X25519.generatePrivateKey(new java.security.SecureRandom(), ours);
            byte[] oursPublic = new byte[32];
            org.bouncycastle.math.ec.rfc7748.X25519.generatePublicKey(ours, 0, oursPublic, 0);

            KeyAgreement ka = KeyAgreement.getInstance("X25519");
            ka.init(jdk.getPrivate());
            ka.doPhase(java.security.KeyFactory.getInstance("X25519").generatePublic(
                    new XECPublicKeySpec(NamedParameterSpec.X25519, littleEndian(oursPublic))), true);
            byte[] jdkSecret = ka.generateSecret();

            byte[] jdkPublic = littleEndianBytes(((XECPublicKey) jdk.getPublic()).getU());
            assertArrayEquals(jdkSecret, Curve25519Kex.sharedSecret(ours, jdkPublic));
        }
    }

    @Test
    void x25519RefusesASmallOrderOrMalformedPeerKey() {
        byte[] priv = new byte[32];
        org.bouncycastle.math.ec.rfc7748.X25519.generatePrivateKey(new java.security.SecureRandom(), priv);
        GeneralSecurityException zero = assertThrows(GeneralSecurityException.class, () -> Curve25519Kex.sharedSecret(priv, new byte[32]));
        assertTrue(zero.getMessage().contains("small-order"), zero.getMessage());
        byte[] one = new byte[32];
        one[0] = 1;
        assertThrows(GeneralSecurityException.class, () -> Curve25519Kex.sharedSecret(priv, one));
        assertThrows(GeneralSecurityException.class, () -> Curve25519Kex.sharedSecret(priv, new byte[31]));
    }

    @Test
    void replacesOnlyCurve25519AndEd25519KeepingSshjsNamesAndOrder() {
        DefaultConfig sshj = new DefaultConfig();
        List<Factory.Named<KeyExchange>> kex = SshConnector.fastKeyExchanges(sshj.getKeyExchangeFactories());
        assertEquals(names(sshj.getKeyExchangeFactories()), names(kex));
        for (Factory.Named<KeyExchange> f : kex) {
            boolean curve = f.getName().startsWith("curve25519-sha256");
            assertEquals(curve, f.create() instanceof Curve25519Kex, f.getName());
        }
        assertTrue(names(kex).contains("curve25519-sha256"));
        assertTrue(names(kex).contains("curve25519-sha256@libssh.org"));

        var algs = SshConnector.fastKeyAlgorithms(sshj.getKeyAlgorithms());
        assertEquals(names(sshj.getKeyAlgorithms()), names(algs));
        for (var f : algs) {
            Signature s = f.create().newSignature();
            boolean ed = f.getName().startsWith("ssh-ed25519");
            assertEquals(ed, s instanceof Ed25519Signature, f.getName());
        }
        assertInstanceOf(Ed25519Signature.class, SshConnector.config().getKeyAlgorithms().stream()
                .filter(f -> f.getName().equals("ssh-ed25519")).findFirst().orElseThrow().create().newSignature());
    }

    private static <T> List<String> names(List<? extends Factory.Named<T>> fs) {
        return fs.stream().map(Factory.Named::getName).toList();
    }

    private static java.math.BigInteger littleEndian(byte[] b) {
        byte[] be = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            be[i] = b[b.length - 1 - i];
        }
        return new java.math.BigInteger(1, be);
    }

    private static byte[] littleEndianBytes(java.math.BigInteger u) {
        byte[] be = u.toByteArray();
        byte[] le = new byte[32];
        for (int i = 0; i < 32 && i < be.length; i++) {
            le[i] = be[be.length - 1 - i];
        }
        return le;
    }
}
