package dev.opsctl.target.ssh;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import com.hierynomus.sshj.common.KeyDecryptionFailedException;
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
    private static final byte[] OPENSSH_MAGIC = "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII);

    private IdentityKeys() {}

    /** What the operator answered with nothing: the key is given up, before sshj decodes with a null passphrase. */
    private static final class Declined extends RuntimeException {
        Declined() {
            super(null, null, false, false);
        }
    }

    private static PasswordFinder finder(PasswordSupplier passphrases, Path file) {
        return new PasswordFinder() {
            @Override
            public char[] reqPassword(Resource<?> resource) {
                return passphrases.passphrase(file).map(s -> s.reveal().toCharArray()).orElseThrow(Declined::new);
            }

            @Override
            public boolean shouldRetry(Resource<?> resource) {
                // not every key format retries; Memo does, for all of them
                return false;
            }
        };
    }

    /**
     * Whether a private key file needs a passphrase: a PEM key with an ENCRYPTED header, an
     * OpenSSH key whose cipher is not "none", or a PuTTY key whose Encryption is not "none". A file it cannot read or make sense of is not called
     * encrypted: loading it says what is wrong.
     */
    static boolean encrypted(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII);
            if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || text.contains("Proc-Type: 4,ENCRYPTED")) {
                return true;
            }
            if (text.startsWith("PuTTY-User-Key-File-")) {
                return text.lines().anyMatch(l -> l.startsWith("Encryption: ") && !l.strip().equals("Encryption: none"));
            }
            int begin = text.indexOf("-----BEGIN OPENSSH PRIVATE KEY-----");
            int end = text.indexOf("-----END OPENSSH PRIVATE KEY-----");
            if (begin < 0 || end < begin) {
                return false;
            }
            byte[] blob = Base64.getMimeDecoder().decode(text.substring(begin + 35, end));
            ByteBuffer b = ByteBuffer.wrap(blob);
            if (blob.length < OPENSSH_MAGIC.length + 4 || !Arrays.equals(blob, 0, OPENSSH_MAGIC.length, OPENSSH_MAGIC, 0,
                    OPENSSH_MAGIC.length)) {
                return false;
            }
            b.position(OPENSSH_MAGIC.length);
            int len = b.getInt();
            if (len < 0 || len > b.remaining()) {
                return false;
            }
            byte[] cipher = new byte[len];
            b.get(cipher);
            return !new String(cipher, StandardCharsets.US_ASCII).equals("none");
        } catch (IOException | IllegalArgumentException | java.nio.BufferUnderflowException e) {
            return false;
        }
    }

    /** A key file opsctl cannot sign with; {@link #why()} is what the authentication failure says of it. */
    abstract static class Unusable extends IOException {
        Unusable(Path file, String why) {
            super("'" + file + "' (" + why + ")", null);
        }

        String why() {
            String m = getMessage();
            return m.substring(m.indexOf("' (") + 3, m.length() - 1);
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

    static Memo load(SSHClient client, Path file, PasswordSupplier passphrases) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        BasicFileAttributes a = Files.readAttributes(abs, BasicFileAttributes.class);
        Id id = new Id(abs, a.lastModifiedTime(), a.size(), passphrases);
        Memo m = KEYS.get(id);
        if (m == null) {
            boolean encrypted = encrypted(abs);
            if (passphrases == PasswordSupplier.NONE && encrypted) {
                throw new NoPassphrase(file);
            }
            // the passphrase is asked for only when the key is decoded: once the server accepted it, as in OpenSSH
            // the factories, not the client: the memo outlives the connection that first read the key
            List<Factory.Named<FileKeyProvider>> formats = client.getTransport().getConfig().getFileKeyProviderFactories();
            m = new Memo(file, encrypted, passphrases, () -> read(formats, abs, finder(passphrases, file)));
            Memo raced = KEYS.putIfAbsent(id, m);
            m = raced == null ? m : raced;
        }
        return m;
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

    private interface Loader {
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
        private KeyProvider source;
        // volatile: read without the lock, which a prompt may hold for minutes
        private volatile Unusable givenUp;
        private volatile PrivateKey privateKey;
        private volatile PublicKey publicKey;

        Memo(Path file, boolean encrypted, PasswordSupplier passphrases, Loader loader) throws IOException {
            this.file = file;
            this.encrypted = encrypted;
            this.passphrases = passphrases;
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
                    publicKey = decoded(KeyProvider::getPublic);
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
                IOException failed;
                try {
                    return part.of(source);
                } catch (Declined e) {
                    throw givenUp = new NoPassphrase(file);
                } catch (IOException e) {
                    failed = e;
                } catch (RuntimeException e) {
                    // sshj's decoders throw these for malformed or unsupported keys: a key that cannot sign, not a crash
                    source = loader.load();
                    throw new IOException(e.getMessage() != null ? e.getMessage() : e.toString(), e);
                }
                // a decoder that failed may keep half-read state (PuTTY's appends to its headers): start from the file again
                source = loader.load();
                if (!wrongPassphrase(failed)) {
                    throw failed;
                }
                if (!passphrases.retry(file)) {
                    throw givenUp = new WrongPassphrase(file);
                }
            }
        }

        /**
         * Whether decoding failed on the passphrase. For an encrypted file, as OpenSSH takes it: a
         * bad padding or a MAC mismatch after a wrong passphrase reads as a malformed key in sshj
         * ("PEM Key processing failed", "Invalid passphrase"), and no format says it reliably.
         */
        private boolean wrongPassphrase(IOException e) {
            return e instanceof KeyDecryptionFailedException || encrypted && !(e instanceof java.nio.file.FileSystemException);
        }

        @Override
        public String toString() {
            return "'" + file + "'";
        }
    }
}
