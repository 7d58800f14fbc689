package dev.opsctl.target.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import com.hierynomus.sshj.userauth.certificate.Certificate;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;

/**
 * Checks host keys against OpenSSH known_hosts files (plain and hashed entries), the user's and the
 * system's, failing closed. An unknown key is accepted only with accept-new (and then recorded in
 * the user's first file); a changed key, in any of the files, is never accepted, and a key of
 * another type than the ones listed for the host is a changed key, as in OpenSSH 9.2. The reason for a
 * rejection is kept for {@link SshErrors}. One instance per connection attempt.
 */
final class KnownHostsVerifier implements HostKeyVerifier {
    private final List<Path> userFiles;
    private final List<Path> files;
    private final Optional<String> alias;
    private final boolean acceptNew;
    private final boolean hashRecorded;
    private final Path home;
    private volatile Optional<String> rejection = Optional.empty();

    KnownHostsVerifier(HostKeys keys, Path home) {
        this.userFiles = keys.userFiles();
        List<Path> all = new ArrayList<>(keys.userFiles());
        all.addAll(keys.globalFiles());
        this.files = List.copyOf(all);
        this.alias = keys.alias();
        this.acceptNew = keys.acceptNew();
        this.hashRecorded = keys.hashRecorded();
        this.home = home;
    }

    /** Why the last key was rejected, if it was. */
    Optional<String> rejection() {
        return rejection;
    }

    @Override
    public boolean verify(String hostname, int port, PublicKey key) {
        String lookup = lookup(hostname, port);
        KeyType type = KeyType.fromKey(key);
        String where = port == 22 ? "'" + hostname + "'" : "'" + hostname + "' (port " + port + ")";
        byte[] offeredBlob = blob(key);
        // a certificate is vouched for by its CA's key (on a @cert-authority line), a plain key by itself
        byte[] trusted = key instanceof Certificate<?> cert ? cert.getSignatureKey() : offeredBlob;
        // and a certificate is refused if its own key is revoked, as OpenSSH refuses it
        byte[] certifiedKey = key instanceof Certificate<?> cert ? blob(cert.getKey()) : null;
        try {
            // OpenSSH's rules: a revoked key is refused whatever else is listed; otherwise any line
            // with this key accepts it; a host listed only with other keys of this type has changed.
            Path changedIn = null;
            KnownHostsFiles.Line changed = null;
            boolean matched = false;
            for (Path file : files) {
                if (!Files.isReadable(file)) {
                    continue;
                }
                for (KnownHostsFiles.Line line : KnownHostsFiles.read(file).candidates(lookup)) {
                    if (!line.names(lookup)) {
                        continue;
                    }
                    if (line.revoked()) {
                        if (line.holds(offeredBlob) || (certifiedKey != null && line.holds(certifiedKey))) {
                            // a certificate is named by its own key's fingerprint, the one on the line and in ssh-keygen -l
                            byte[] revokedKey = certifiedKey != null ? certifiedKey : offeredBlob;
                            rejection = Optional.of("host key for " + where + " is REVOKED: " + file + ":"
                                    + line.number() + " marks " + describe(type.toString(), revokedKey)
                                    + " as revoked; do not connect until the host has a new key");
                            return false;
                        }
                        if (trusted != offeredBlob && line.holds(trusted)) {
                            rejection = Optional.of("host certificate for " + where + " is signed by a REVOKED CA: " + file + ":"
                                    + line.number() + " marks the CA " + fingerprint(trusted)
                                    + " as revoked; do not connect until the host has a certificate from a trusted CA");
                            return false;
                        }
                    } else if (!applies(line, type)) {
                        continue;
                    } else if (line.holds(trusted)) {
                        matched = true;
                    } else if (!line.certAuthority() && changed == null) {
                        changedIn = file;
                        changed = line;
                    }
                }
            }
            if (matched) {
                return true;
            }
            if (changed != null) {
                rejection = Optional.of("HOST KEY CHANGED for " + where + ": " + changedIn + ":" + changed.number()
                        + " has " + changed.describeKey() + " but the host offered " + describe(type.toString(), offeredBlob)
                        + "; someone may be intercepting the connection, or the host was reinstalled; if the"
                        + " change is expected, remove the old key with 'ssh-keygen -R " + lookup + " -f " + changedIn
                        + "' and verify the new one");
                return false;
            }
            if (key instanceof Certificate<?> cert) {
                // only a CA line can vouch for a certificate, and accept-new never records one
                rejection = Optional.of("host certificate for " + where + " is signed by the CA " + fingerprint(cert.getSignatureKey())
                        + ", which no @cert-authority line in " + files + " trusts for this host; add the CA with"
                        + " '@cert-authority " + lookup + " <CA public key>' or list the host's own key");
                return false;
            }
            if (acceptNew && !userFiles.isEmpty()) {
                record(lookup, key, type);
                return true;
            }
        } catch (IOException e) {
            rejection = Optional.of("cannot check the host key for " + where + ": " + e.getMessage());
            return false;
        }
        String portFlag = port == 22 ? "" : "-p " + port + " ";
        if (userFiles.isEmpty()) {
            rejection = Optional.of("host key for " + where + " is not known: " + describe(type.toString(), offeredBlob)
                    + "; the ssh config says 'UserKnownHostsFile none', so only " + files
                    + " are read and nothing is recorded; add the key to one of them, or name a UserKnownHostsFile");
            return false;
        }
        String added = alias.isPresent() ? " | sed 's/^[^ ]*/" + alias.get() + "/'" : "";
        rejection = Optional.of("host key for " + where + " is not known: " + describe(type.toString(), offeredBlob) + "; verify it and add it with 'ssh-keyscan "
                + (hashRecorded && alias.isEmpty() ? "-H " : "") + portFlag + hostname + added + " >> " + shown(userFiles.get(0))
                + "' or rerun with --accept-new-host-keys");
        return false;
    }

    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
        String lookup = lookup(hostname, port);
        Set<String> plainTypes = new LinkedHashSet<>();
        boolean certAuthority = false;
        for (Path file : files) {
            try {
                if (Files.isReadable(file)) {
                    for (KnownHostsFiles.Line line : KnownHostsFiles.read(file).candidates(lookup)) {
                        if (line.type() == KeyType.UNKNOWN || line.revoked() || !line.names(lookup)) {
                            continue;
                        }
                        if (line.certAuthority()) {
                            certAuthority = true;
                        } else {
                            plainTypes.add(line.type().toString());
                        }
                    }
                }
            } catch (IOException e) {
                // unreadable: verify() reports it
            }
        }
        return HostKeyAlgorithms.preferred(plainTypes, certAuthority);
    }

    /**
     * Whether a line that names the host speaks for this key: a plain line for any plain key, of
     * its own type or not (OpenSSH 9.2 takes a key of another type than the one listed for a
     * changed key, not a new one), a {@code @cert-authority} line for certificates only (sshj also
     * let a CA line accept a plain key equal to the CA key).
     */
    private static boolean applies(KnownHostsFiles.Line line, KeyType type) {
        return line.certAuthority() == (type.getParent() != null);
    }

    /**
     * How known_hosts names the host: its HostKeyAlias if it has one (no port, as in OpenSSH), else
     * its name lower-cased as ssh does (hashed lines hash that form).
     */
    private String lookup(String hostname, int port) {
        if (alias.isPresent()) {
            return alias.get();
        }
        String host = hostname.toLowerCase(java.util.Locale.ROOT);
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    private void record(String lookup, PublicKey key, KeyType type) throws IOException {
        Path file = userFiles.get(0);
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        if (!Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        String existing = Files.readString(file, StandardCharsets.UTF_8);
        String prefix = existing.isEmpty() || existing.endsWith("\n") ? "" : "\n";
        String name = hashRecorded ? KnownHostsFiles.hashed(lookup) : lookup;
        String line = prefix + name + " " + type + " " + Base64.getEncoder().encodeToString(blob(key)) + "\n";
        Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private String shown(Path file) {
        Path abs = file.toAbsolutePath();
        return abs.startsWith(home) ? "~/" + home.relativize(abs) : abs.toString();
    }

    static String describe(String sshType, byte[] blob) {
        return typeLabel(sshType) + " " + fingerprint(blob);
    }

    static String typeLabel(String sshType) {
        if (sshType.contains("ed25519")) {
            return "ED25519";
        }
        if (sshType.startsWith("ecdsa")) {
            return "ECDSA";
        }
        if (sshType.contains("rsa")) {
            return "RSA";
        }
        return sshType.toUpperCase(java.util.Locale.ROOT);
    }

    /** OpenSSH's default fingerprint: {@code SHA256:} and the unpadded base64 digest of the key blob. */
    static String fingerprint(byte[] blob) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    static byte[] blob(PublicKey key) {
        return new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
    }
}
