package dev.opsctl.target.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.password.PasswordFinder;

/**
 * Identity files read and decoded once per process, not once per host: a fan-out to 100 hosts with
 * one key decoded it 100 times (for a passphrase-protected key, 100 bcrypt key derivations). A file
 * that changes on disk is read again; a key that fails to decode is tried again by the next host.
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

    static KeyProvider load(SSHClient client, Path file, PasswordSupplier passphrases, PasswordFinder finder) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        BasicFileAttributes a = Files.readAttributes(abs, BasicFileAttributes.class);
        Id id = new Id(abs, a.lastModifiedTime(), a.size(), passphrases);
        Memo m = KEYS.get(id);
        if (m == null) {
            m = new Memo(client.loadKeys(abs.toString(), finder));
            Memo raced = KEYS.putIfAbsent(id, m);
            m = raced == null ? m : raced;
        }
        return m;
    }

    /** The first successful answer of each kind, kept; failures are not. */
    private static final class Memo implements KeyProvider {
        private final KeyProvider source;
        private PrivateKey privateKey;
        private PublicKey publicKey;
        private KeyType type;

        Memo(KeyProvider source) {
            this.source = source;
        }

        @Override
        public synchronized PrivateKey getPrivate() throws IOException {
            if (privateKey == null) {
                privateKey = source.getPrivate();
            }
            return privateKey;
        }

        @Override
        public synchronized PublicKey getPublic() throws IOException {
            if (publicKey == null) {
                publicKey = source.getPublic();
            }
            return publicKey;
        }

        @Override
        public synchronized KeyType getType() throws IOException {
            if (type == null) {
                type = source.getType();
            }
            return type;
        }
    }
}
