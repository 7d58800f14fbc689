package dev.opsctl.target.ssh;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import com.hierynomus.sshj.common.KeyDecryptionFailedException;
import com.hierynomus.sshj.userauth.certificate.Certificate;
import dev.opsctl.target.OwnUid;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.userauth.keyprovider.FileKeyProvider;
import net.schmizz.sshj.userauth.keyprovider.KeyFormat;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.keyprovider.KeyProviderUtil;
import net.schmizz.sshj.userauth.password.PasswordFinder;
import net.schmizz.sshj.userauth.password.Resource;

/**
 * Identity files read and decoded once per process, not once per host: a fan-out to 100 hosts with
 * one key decoded it 100 times (for a passphrase-protected key, 100 bcrypt key derivations). A file
 * that changes on disk is read again. A key that fails to decode is tried again by the next host,
 * unless the operator's answer was the reason (no passphrase, or a wrong one after the last try).
 */
final class IdentityKeys {
    private record Id(Path file, FileTime modified, long size, PasswordSupplier passphrases) {
        // Written out: a record's generated equals/hashCode link an invokedynamic call site on first
        // use, and a fan-out's first hosts all reach this map at once (~30 ms CPU at 100 hosts).
        @Override
        public boolean equals(Object o) {
            return o instanceof Id other && size == other.size && file.equals(other.file)
                    && modified.equals(other.modified) && Objects.equals(passphrases, other.passphrases);
        }

        @Override
        public int hashCode() {
            return Objects.hash(file, modified, size, passphrases);
        }
    }

    private static final ConcurrentHashMap<Id, Memo> KEYS = new ConcurrentHashMap<>();

    private IdentityKeys() {}

    /** What the operator answered with nothing: the key is given up, before sshj decodes with a null passphrase. */
    private static final class Declined extends RuntimeException {
        Declined() {
            super(null, null, false, false);
        }
    }

    private static PasswordFinder finder(PasswordSupplier passphrases, Path file, AtomicBoolean handedOut) {
        return new PasswordFinder() {
            @Override
            public char[] reqPassword(Resource<?> resource) {
                char[] answer = passphrases.passphrase(file).map(s -> s.reveal().toCharArray()).orElseThrow(Declined::new);
                handedOut.set(true);
                return answer;
            }

            @Override
            public boolean shouldRetry(Resource<?> resource) {
                // not every key format retries; Memo does, for all of them
                return false;
            }
        };
    }

    /** A key file opsctl cannot sign with; {@link #why()} is what the authentication failure says of it. */
    abstract static class Unusable extends IOException {
        private final String why;

        Unusable(Path file, String why) {
            super("'" + file + "' (" + why + ")", null);
            this.why = why;
        }

        String why() {
            return why;
        }
    }

    /** An encrypted key file for which no passphrase is available: skipped, and said so. */
    static final class NoPassphrase extends Unusable {
        NoPassphrase(Path file) {
            super(file, "encrypted: no passphrase given; give it with --key-passphrase-env NAME or --key-passphrase-file FILE, "
                    + "or load the key into ssh-agent");
        }
    }

    /** Every passphrase given for the key failed to decrypt it. */
    static final class WrongPassphrase extends Unusable {
        WrongPassphrase(Path file) {
            super(file, "encrypted: the passphrase is wrong; check it, or load the key into ssh-agent");
        }
    }

    /**
     * A key file of ours that others may read: ssh ignores it ("UNPROTECTED PRIVATE KEY FILE!",
     * sshkey_perm_ok), as another user may have copied it. A file of another user's is not checked.
     */
    static final class TooOpen extends Unusable {
        TooOpen(Path file, int mode) {
            super(file, String.format("permissions 0%03o are too open; chmod 600 %s", mode, RemoteCommand.quote(file.toString())));
        }
    }

    static Memo load(SSHClient client, Path file, PasswordSupplier passphrases) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        checkPermissions(file, abs);
        BasicFileAttributes a = Files.readAttributes(abs, BasicFileAttributes.class);
        Id id = new Id(abs, a.lastModifiedTime(), a.size(), passphrases);
        Memo m = KEYS.get(id);
        if (m == null) {
            boolean encrypted = KeyFileHeaders.encrypted(abs);
            if (passphrases == PasswordSupplier.NONE && encrypted) {
                throw new NoPassphrase(file);
            }
            // the passphrase is asked for only when the key is decoded: once the server accepted it, as in OpenSSH
            // the factories, not the client: the memo outlives the connection that first read the key
            List<Factory.Named<FileKeyProvider>> formats = client.getTransport().getConfig().getFileKeyProviderFactories();
            AtomicBoolean handedOut = new AtomicBoolean();
            // the plain key, read without decoding: sshj's own reading would take a -cert.pub beside it instead
            m = new Memo(file, encrypted, IdentityBlobs.publicKey(abs).orElse(null), passphrases, handedOut,
                    () -> read(formats, abs, finder(passphrases, file, handedOut)));
            Memo raced = KEYS.putIfAbsent(id, m);
            m = raced == null ? m : raced;
        }
        return m;
    }

    /** As sshkey_perm_ok: checked on every load, as a chmod does not change the file's modification time. */
    private static void checkPermissions(Path file, Path abs) throws IOException {
        int owner;
        int mode;
        try {
            owner = (Integer) Files.getAttribute(abs, "unix:uid");
            mode = (Integer) Files.getAttribute(abs, "unix:mode") & 0777;
        } catch (UnsupportedOperationException e) {
            return; // no POSIX owner and mode on this file system
        }
        if (owner == OwnUid.read() && (mode & 077) != 0) {
            throw new TooOpen(file, mode);
        }
    }

    /** {@link SSHClient#loadKeys(String, PasswordFinder)}, without a client. Reads the file; decodes nothing. */
    private static KeyProvider read(List<Factory.Named<FileKeyProvider>> formats, Path file, PasswordFinder finder) throws IOException {
        File location = file.toFile();
        KeyFormat format = KeyProviderUtil.detectKeyFileFormat(location);
        FileKeyProvider keys = Factory.Named.Util.create(formats, format.toString());
        if (keys == null) {
            throw new IOException("no decoder for " + format + " key files");
        }
        keys.init(location, finder);
        return keys;
    }

    interface Loader {
        KeyProvider load() throws IOException;
    }

    private interface Part<T> {
        T of(KeyProvider keys) throws IOException;
    }

    /**
     * The first successful answer of each kind, kept. A wrong passphrase is asked again while the
     * supplier says so; the operator's final answer (none, or still wrong) stands for the process,
     * so the other hosts of a fan-out are not asked again. Other failures are not kept.
     */
    static final class Memo implements KeyProvider {
        private final Path file;
        private final boolean encrypted;
        private final PasswordSupplier passphrases;
        private final Loader loader;
        private final AtomicBoolean handedOut;
        private KeyProvider source;
        // volatile: read without the lock, which a prompt may hold for minutes
        private volatile Unusable givenUp;
        private volatile PrivateKey privateKey;
        private volatile PublicKey publicKey;

        Memo(Path file, boolean encrypted, PublicKey knownPublicKey, PasswordSupplier passphrases, AtomicBoolean handedOut, Loader loader)
                throws IOException {
            this.file = file;
            this.encrypted = encrypted;
            this.publicKey = knownPublicKey;
            this.passphrases = passphrases;
            this.handedOut = handedOut;
            this.loader = loader;
            this.source = loader.load();
        }

        /** Whether decoding the private key now would wait for a passphrase. Never blocks. */
        boolean wouldAsk() {
            return encrypted && privateKey == null && givenUp == null;
        }

        // Read without the lock once known: sshj reads the public key again on the reader thread,
        // which must not wait for another host's prompt to end.
        @Override
        public PrivateKey getPrivate() throws IOException {
            PrivateKey k = privateKey;
            if (k != null) {
                return k;
            }
            synchronized (this) {
                if (privateKey == null) {
                    privateKey = decoded(KeyProvider::getPrivate);
                }
                return privateKey;
            }
        }

        @Override
        public PublicKey getPublic() throws IOException {
            PublicKey k = publicKey;
            if (k != null) {
                return k;
            }
            synchronized (this) {
                if (publicKey == null) {
                    PublicKey decoded = decoded(KeyProvider::getPublic);
                    // a PEM key's decoder reads a -cert.pub beside it as the public key: its key is the file's
                    publicKey = decoded instanceof Certificate<?> c ? c.getKey() : decoded;
                    if (handedOut.get() && privateKey == null) {
                        // decrypted to learn the public key (no .pub beside a PEM key): the private key is known too
                        privateKey = decoded(KeyProvider::getPrivate);
                    }
                }
                return publicKey;
            }
        }

        @Override
        public KeyType getType() throws IOException {
            return KeyType.fromKey(getPublic());
        }

        private <T> T decoded(Part<T> part) throws IOException {
            if (givenUp != null) {
                throw givenUp;
            }
            while (true) {
                handedOut.set(false);
                IOException failed;
                try {
                    return part.of(source);
                } catch (Declined e) {
                    throw givenUp = new NoPassphrase(file);
                } catch (IOException e) {
                    failed = e;
                } catch (RuntimeException e) {
                    // sshj's decoders throw these for malformed or unsupported keys: a key that cannot sign, not a crash
                    throw reloaded(new IOException(e.getMessage() != null ? e.getMessage() : e.toString(), e));
                }
                boolean wrong = wrongPassphrase(failed);
                // a decoder that failed may keep half-read state (PuTTY's appends to its headers): start from the file again
                reloaded(failed);
                if (!wrong) {
                    throw failed;
                }
                if (!passphrases.retry(file)) {
                    throw givenUp = new WrongPassphrase(file);
                }
            }
        }

        /** {@code failure}, after a fresh decoder replaced the failed one; a failure to read the file again is added to it. */
        private IOException reloaded(IOException failure) {
            try {
                source = loader.load();
            } catch (IOException | RuntimeException e) {
                failure.addSuppressed(e);
            }
            return failure;
        }

        /**
         * Whether decoding failed on the passphrase just handed out. OpenSSH, PKCS#8 and most PEM keys
         * say so with their own exception. A PEM key whose wrong decryption happens to leave valid
         * padding (1 in 256) fails as "processing failed", and a PuTTY key as a failed MAC check.
         */
        private boolean wrongPassphrase(IOException e) {
            if (e instanceof KeyDecryptionFailedException) {
                return true;
            }
            String m = String.valueOf(e.getMessage());
            return handedOut.get() && (m.equals("Invalid passphrase") || m.contains("processing failed"));
        }

        @Override
        public String toString() {
            return "'" + file + "'";
        }
    }
}
