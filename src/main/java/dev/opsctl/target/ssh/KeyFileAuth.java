package dev.opsctl.target.ssh;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.signature.Signature;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.method.AuthPublickey;

/**
 * An identity file's publickey method. sshj signs on the transport's reader thread, once the server
 * said it accepts the key, under the authentication timeout: a passphrase asked there failed every
 * host as "refused" when the operator took longer than ConnectTimeout to type it. So there, a key
 * still waiting for its passphrase refuses to sign ({@link AnswerNeeded}); the connecting thread
 * then asks, with no timer running, and tries the method again. A key the server refuses is never
 * asked for, as in OpenSSH. Why a key could not sign ends up in its entry of {@code tried}.
 */
final class KeyFileAuth extends AuthPublickey implements TriedKey, SignsOnSecondAttempt {
    /** The server accepted the key, whose passphrase was not asked yet: not asked on the reader thread. */
    static final class AnswerNeeded extends IOException {
        AnswerNeeded() {
            super("the key's passphrase is asked for on the connecting thread", null);
        }
    }

    private final String name;
    private final IdentityKeys.Memo keys;
    private final Optional<UserCertificate> certificate;
    private final SignsOnlyWhenDecoded signer;
    private final List<String> tried;
    private final int entry;

    /** The method for the key in {@code file}; its entry is added to {@code tried}. */
    KeyFileAuth(Path file, IdentityKeys.Memo keys, List<String> tried) {
        this(file, keys, Optional.empty(), tried);
    }

    /** The method for {@code certificate} of the key in {@code file} (its {@code -cert.pub}). */
    KeyFileAuth(Path file, IdentityKeys.Memo keys, UserCertificate certificate, List<String> tried) {
        this(file, keys, Optional.of(certificate), tried);
    }

    private KeyFileAuth(Path file, IdentityKeys.Memo keys, Optional<UserCertificate> certificate, List<String> tried) {
        this(file, keys, certificate, new SignsOnlyWhenDecoded(keys), tried);
    }

    private KeyFileAuth(Path file, IdentityKeys.Memo keys, Optional<UserCertificate> certificate, SignsOnlyWhenDecoded signer,
            List<String> tried) {
        super(signer);
        this.name = "'" + file + "'" + (certificate.isPresent() ? " (certificate)" : "");
        this.keys = keys;
        this.certificate = certificate;
        this.signer = signer;
        this.tried = tried;
        this.entry = tried.size();
        tried.add(name);
    }

    @Override
    public int entry() {
        return entry;
    }

    /**
     * Never: sshj would offer a refused RSA key again with rsa-sha2-256 and ssh-rsa, and sshd counts
     * each offer against MaxAuthTries. ssh offers a key once, with the best algorithm.
     */
    @Override
    public boolean shouldRetry() {
        return false;
    }

    /**
     * True when the server had accepted the key and it is now decoded (its passphrase asked here).
     * Otherwise false, with the reason in the tried list when the key itself was it.
     */
    @Override
    public boolean readyForSecondAttempt() {
        IOException failed = signer.failed;
        signer.failed = null;
        if (failed instanceof AnswerNeeded) {
            return decoded();
        }
        if (failed != null) {
            note(failed);
        }
        return false;
    }

    private boolean decoded() {
        try {
            keys.getPrivate();
            return true;
        } catch (IOException e) {
            note(e);
            return false;
        }
    }

    private void note(IOException e) {
        tried.set(entry, name + " (" + (e instanceof IdentityKeys.Unusable u ? u.why() : "unusable: " + SshErrors.message(e)) + ")");
    }

    /**
     * A certificate is offered as its file has it, under the name for SHA-512 signatures if it is an
     * RSA one: sshj knows only ssh-rsa-cert-v01 (SHA-1), which OpenSSH 8.8+ refuses.
     */
    @Override
    protected SSHPacket putPubKey(SSHPacket req) throws UserAuthException {
        if (certificate.isEmpty()) {
            return super.putPubKey(req);
        }
        return req.putString(UserCertificate.algorithm(certificate.get().type())).putBytes(certificate.get().blob());
    }

    /** A certificate's key signs as the plain key does, with the algorithm its offer named. */
    @Override
    protected SSHPacket putSig(SSHPacket req) throws UserAuthException {
        if (certificate.isEmpty()) {
            return super.putSig(req);
        }
        PrivateKey key;
        try {
            key = kProv.getPrivate();
        } catch (IOException e) {
            throw new UserAuthException("Problem getting private key from " + kProv, e);
        }
        String wanted = UserCertificate.signatureAlgorithm(certificate.get().type());
        Signature signature;
        try {
            signature = params.getTransport().getClientKeyAlgorithms(KeyType.fromKey(key)).stream()
                    .filter(a -> a.getKeyAlgorithm().equals(wanted)).findFirst()
                    .orElseThrow(() -> new UserAuthException("no " + wanted + " signatures for " + name))
                    .newSignature();
        } catch (TransportException e) {
            throw new UserAuthException("no " + wanted + " signatures for " + name, e);
        }
        signature.initSign(key);
        signature.update(new Buffer.PlainBuffer()
                .putString(params.getTransport().getSessionID())
                .putBuffer(req)
                .getCompactData());
        return req.putSignature(signature.getSignatureName(), signature.encode(signature.sign()));
    }

    /** The key as sshj signs with it on the reader thread: never waiting there for a passphrase. */
    private static final class SignsOnlyWhenDecoded implements KeyProvider {
        private final IdentityKeys.Memo keys;
        volatile IOException failed;

        SignsOnlyWhenDecoded(IdentityKeys.Memo keys) {
            this.keys = keys;
        }

        @Override
        public PrivateKey getPrivate() throws IOException {
            try {
                if (keys.wouldAsk()) {
                    throw new AnswerNeeded();
                }
                return keys.getPrivate();
            } catch (IOException e) {
                failed = e;
                throw e;
            }
        }

        @Override
        public PublicKey getPublic() throws IOException {
            try {
                return keys.getPublic();
            } catch (IOException e) {
                failed = e;
                throw e;
            }
        }

        @Override
        public KeyType getType() throws IOException {
            return keys.getType();
        }

        @Override
        public String toString() {
            return keys.toString();
        }
    }
}
