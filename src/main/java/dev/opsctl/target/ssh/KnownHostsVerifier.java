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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
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
    private final KnownHostsSearch search;
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
        this.search = new KnownHostsSearch(files);
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
        try {
            rejection = check(hostname, port, key);
        } catch (IOException e) {
            rejection = Optional.of("cannot check the host key for " + where(hostname, port) + ": " + e.getMessage());
        }
        return rejection.isEmpty();
    }

    /** Why the key is refused, if it is, as OpenSSH's check_host_key decides. */
    private Optional<String> check(String hostname, int port, PublicKey key) throws IOException {
        String lookup = lookup(hostname, port);
        KeyType type = KeyType.fromKey(key);
        String where = where(hostname, port);
        byte[] offeredBlob = blob(key);
        KnownHostsMatch found = search.find(lookup, key);
        if (found.is(KnownHostsMatch.Status.REVOKED)) {
            // a certificate is named by its own key's fingerprint, the one on the line and in ssh-keygen -l
            byte[] revokedKey = key instanceof Certificate<?> cert ? blob(cert.getKey()) : offeredBlob;
            return Optional.of("host key for " + where + " is REVOKED: " + found.where() + " marks "
                    + describe(type.toString(), revokedKey) + " as revoked; do not connect until the host has a new key");
        }
        if (found.is(KnownHostsMatch.Status.REVOKED_CA)) {
            return Optional.of("host certificate for " + where + " is signed by a REVOKED CA: " + found.where() + " marks the CA "
                    + fingerprint(((Certificate<?>) key).getSignatureKey())
                    + " as revoked; do not connect until the host has a certificate from a trusted CA");
        }
        if (key instanceof Certificate<?> cert) {
            if (HostCertificate.forged(cert)) {
                return Optional.of("host certificate for " + where + " does not verify with the CA key it names, "
                        + fingerprint(cert.getSignatureKey()) + "; someone may be intercepting the connection");
            }
            if (found.is(KnownHostsMatch.Status.OK)) {
                Optional<String> invalid = HostCertificate.invalidFor(cert, principal(hostname), Instant.now());
                return invalid.map(why -> "host certificate for " + where + " is not valid: " + why + " (its CA "
                        + fingerprint(cert.getSignatureKey()) + " is trusted by " + found.where() + ")");
            }
            // only a CA line can vouch for a certificate, and accept-new never records one
            return Optional.of("host certificate for " + where + " is signed by the CA " + fingerprint(cert.getSignatureKey())
                    + ", which no @cert-authority line in " + files + " trusts for this host; add the CA with"
                    + " '@cert-authority " + lookup + " <CA public key>' or list the host's own key");
        }
        if (found.is(KnownHostsMatch.Status.OK)) {
            return Optional.empty();
        }
        if (found.is(KnownHostsMatch.Status.CHANGED)) {
            return Optional.of("HOST KEY CHANGED for " + where + ": " + found.where() + " has " + found.line().describeKey()
                    + " but the host offered " + describe(type.toString(), offeredBlob)
                    + "; someone may be intercepting the connection, or the host was reinstalled; if the"
                    + " change is expected, remove the old key with 'ssh-keygen -R " + lookup + " -f " + found.file()
                    + "' and verify the new one");
        }
        if (acceptNew && !userFiles.isEmpty()) {
            record(lookup, key, type);
            return Optional.empty();
        }
        String portFlag = port == 22 ? "" : "-p " + port + " ";
        if (userFiles.isEmpty()) {
            return Optional.of("host key for " + where + " is not known: " + describe(type.toString(), offeredBlob)
                    + "; the ssh config says 'UserKnownHostsFile none', so only " + files
                    + " are read and nothing is recorded; add the key to one of them, or name a UserKnownHostsFile");
        }
        String added = alias.isPresent() ? " | sed 's/^[^ ]*/" + alias.get() + "/'" : "";
        return Optional.of("host key for " + where + " is not known: " + describe(type.toString(), offeredBlob) + "; verify it and add it with 'ssh-keyscan "
                + (hashRecorded && alias.isEmpty() ? "-H " : "") + portFlag + hostname + added + " >> " + shown(userFiles.get(0))
                + "' or rerun with --accept-new-host-keys");
    }

    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
        return search.preferredAlgorithms(lookup(hostname, port));
    }

    private static String where(String hostname, int port) {
        return port == 22 ? "'" + hostname + "'" : "'" + hostname + "' (port " + port + ")";
    }

    /**
     * The name a host certificate must list: the HostKeyAlias if there is one, else the host name
     * (after HostName), lower-cased as ssh has it.
     */
    private String principal(String hostname) {
        return alias.orElse(hostname.toLowerCase(java.util.Locale.ROOT));
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
