package dev.opsctl.target.ssh;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.List;
import net.schmizz.sshj.common.KeyType;
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

    private final Path file;
    private final IdentityKeys.Memo keys;
    private final SignsOnlyWhenDecoded signer;
    private final List<String> tried;
    private final int entry;

    KeyFileAuth(Path file, IdentityKeys.Memo keys, List<String> tried) {
        this(file, keys, new SignsOnlyWhenDecoded(keys), tried);
    }

    private KeyFileAuth(Path file, IdentityKeys.Memo keys, SignsOnlyWhenDecoded signer, List<String> tried) {
        super(signer);
        this.file = file;
        this.keys = keys;
        this.signer = signer;
        this.tried = tried;
        this.entry = tried.size();
        tried.add("'" + file + "'");
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
        tried.set(entry, "'" + file + "' (" + (e instanceof IdentityKeys.Unusable u ? u.why() : "unusable: " + SshErrors.message(e)) + ")");
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
