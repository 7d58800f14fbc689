package dev.opsctl.target.ssh;

import java.io.ByteArrayOutputStream;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.util.Arrays;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.common.SSHRuntimeException;
import net.schmizz.sshj.signature.Signature;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * {@code ssh-ed25519} signatures (host-key verification in the key exchange, user-key signing) as
 * sshj's {@code SignatureEdDSA} makes them, on BouncyCastle's Ed25519 instead of the JDK's: same
 * keys, same bytes (Ed25519 is deterministic), a tenth of the CPU. A key it cannot read fails.
 */
final class Ed25519Signature implements Signature {
    static final Factory.Named<Signature> FACTORY = new Factory.Named<>() {
        @Override
        public Signature create() {
            return new Ed25519Signature();
        }

        @Override
        public String getName() {
            return KeyType.ED25519.toString();
        }
    };

    // DER prefixes of the X.509 and PKCS#8 encodings of an Ed25519 key (RFC 8410), the raw key follows
    private static final byte[] SPKI_PREFIX = hex("302a300506032b6570032100");
    private static final byte[] PKCS8_ALGORITHM = hex("300506032b657004220420");

    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private byte[] publicKey;
    private byte[] secretKey;

    @Override
    public String getSignatureName() {
        return KeyType.ED25519.toString();
    }

    @Override
    public void initVerify(PublicKey key) {
        byte[] der = key.getEncoded();
        if (der == null || der.length != SPKI_PREFIX.length + Ed25519.PUBLIC_KEY_SIZE
                || !Arrays.equals(der, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
            throw new SSHRuntimeException("not an Ed25519 public key: " + key.getAlgorithm());
        }
        publicKey = Arrays.copyOfRange(der, SPKI_PREFIX.length, der.length);
        secretKey = null;
        data.reset();
    }

    @Override
    public void initSign(PrivateKey key) {
        secretKey = seed(key);
        publicKey = null;
        data.reset();
    }

    /** The 32-byte seed: from the JDK's key directly, else from its PKCS#8 encoding (v1 or v2). */
    static byte[] seed(PrivateKey key) {
        if (key instanceof EdECPrivateKey ed && ed.getBytes().isPresent()) {
            byte[] b = ed.getBytes().get();
            if (b.length == Ed25519.SECRET_KEY_SIZE) {
                return b;
            }
        }
        byte[] der = key.getEncoded();
        int at = 5; // SEQUENCE, INTEGER version (3 bytes)
        if (der == null || der.length < at + PKCS8_ALGORITHM.length + Ed25519.SECRET_KEY_SIZE || (der[0] & 0xff) != 0x30
                || (der[1] & 0x80) != 0
                || !Arrays.equals(der, at, at + PKCS8_ALGORITHM.length, PKCS8_ALGORITHM, 0, PKCS8_ALGORITHM.length)) {
            throw new SSHRuntimeException("not an Ed25519 private key: " + key.getAlgorithm());
        }
        int from = at + PKCS8_ALGORITHM.length;
        return Arrays.copyOfRange(der, from, from + Ed25519.SECRET_KEY_SIZE);
    }

    @Override
    public void update(byte[] h) {
        update(h, 0, h.length);
    }

    @Override
    public void update(byte[] h, int off, int len) {
        data.write(h, off, len);
    }

    @Override
    public byte[] sign() {
        if (secretKey == null) {
            throw new SSHRuntimeException("Ed25519 signature not initialised for signing");
        }
        byte[] m = data.toByteArray();
        byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
        Ed25519.sign(secretKey, 0, m, 0, m.length, sig, 0);
        data.reset();
        return sig;
    }

    @Override
    public byte[] encode(byte[] signature) {
        return signature;
    }

    @Override
    public boolean verify(byte[] sig) {
        if (publicKey == null) {
            throw new SSHRuntimeException("Ed25519 signature not initialised for verification");
        }
        byte[] blob = blob(sig);
        byte[] m = data.toByteArray();
        data.reset();
        return blob.length == Ed25519.SIGNATURE_SIZE && Ed25519.verify(blob, 0, publicKey, 0, m, 0, m.length);
    }

    /** The signature blob of an SSH signature {@code string "ssh-ed25519", string blob}, as sshj checks it. */
    private static byte[] blob(byte[] sig) {
        Buffer.PlainBuffer buffer = new Buffer.PlainBuffer(sig);
        try {
            String algo = buffer.readString();
            if (!KeyType.ED25519.toString().equals(algo)) {
                throw new SSHRuntimeException("Expected 'ssh-ed25519' key algorithm, but got: " + algo);
            }
            return buffer.readBytes();
        } catch (Buffer.BufferException e) {
            throw new SSHRuntimeException(e);
        }
    }

    private static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
