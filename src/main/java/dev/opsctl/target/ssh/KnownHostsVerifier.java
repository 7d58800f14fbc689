package dev.opsctl.target.ssh;

import java.io.IOException;
import java.nio.file.Path;
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
 * system's, failing closed, as OpenSSH 9.2's check_host_key does ({@link KnownHostsSearch} has the
 * rules for one name). An unknown key is accepted only with accept-new, and then recorded in the
 * user's first file ({@link KnownHostsWriter}); a changed key, in any of the files, is never
 * accepted. A host certificate is accepted by a CA line and its checks ({@link HostCertificate}),
 * else its own key is checked as a plain key. The reason for a rejection is kept for
 * {@link SshErrors}. One instance per connection attempt.
 */
final class KnownHostsVerifier implements HostKeyVerifier {
    private final HostKeys keys;
    private final List<Path> files;
    private final KnownHostsSearch search;
    private final boolean acceptNew;
    private final Path home;
    private final Optional<String> jumpHost;
    private volatile Optional<String> rejection = Optional.empty();

    KnownHostsVerifier(HostKeys keys, Path home) {
        this(keys, home, Optional.empty());
    }

    /** {@code jumpHost}: the jump host the host is reached through, by its name in the ssh config, if any. */
    KnownHostsVerifier(HostKeys keys, Path home, Optional<String> jumpHost) {
        this.keys = keys;
        this.jumpHost = jumpHost;
        List<Path> all = new ArrayList<>(keys.userFiles());
        all.addAll(keys.globalFiles());
        this.files = List.copyOf(all);
        this.search = new KnownHostsSearch(files);
        this.acceptNew = keys.acceptNew();
        this.home = home;
    }

    /** Why the last key was rejected, if it was. */
    Optional<String> rejection() {
        return rejection;
    }

    @Override
    public boolean verify(String hostname, int port, PublicKey key) {
        HostKeyRefusal refusal = new HostKeyRefusal(hostname, port, lookup(hostname, port), keys, home, jumpHost);
        try {
            rejection = key instanceof Certificate<?> cert ? checkCertificate(hostname, port, cert, refusal)
                    : checkPlain(hostname, port, key, Optional.empty(), refusal);
        } catch (IOException e) {
            rejection = Optional.of("cannot check the host key for " + refusal.where() + ": " + e.getMessage());
        }
        return rejection.isEmpty();
    }

    /**
     * Why a host certificate is refused, if it is, as OpenSSH's check_host_key decides: accepted
     * when a {@code @cert-authority} line trusts its CA and it is valid for the host; refused when
     * it or its CA is revoked, or it is forged; otherwise its own key is checked as a plain key
     * ("No matching CA found. Retry with plain key"), and accept-new may record that key.
     */
    private Optional<String> checkCertificate(String hostname, int port, Certificate<?> cert, HostKeyRefusal refusal)
            throws IOException {
        String ca = fingerprint(cert.getSignatureKey());
        if (HostCertificate.signedByCertificate(cert)) {
            return Optional.of(refusal.signedByCertificate(ca));
        }
        if (HostCertificate.forged(cert)) {
            return Optional.of(refusal.forged(ca));
        }
        KnownHostsMatch found = search.find(lookup(hostname, port), cert);
        Optional<String> bare = bareName(hostname, port);
        if (found.is(KnownHostsMatch.Status.NEW) && bare.isPresent()) {
            KnownHostsMatch withoutPort = search.find(bare.get(), cert);
            found = withoutPort.is(KnownHostsMatch.Status.CHANGED) ? found : withoutPort;
        }
        if (found.is(KnownHostsMatch.Status.REVOKED)) {
            // named by its own key's fingerprint, the one on the line and in ssh-keygen -l
            return Optional.of(refusal.revoked(found, describe(cert.getKey())));
        }
        if (found.is(KnownHostsMatch.Status.REVOKED_CA)) {
            return Optional.of(refusal.revokedCa(found, ca));
        }
        String notAccepted;
        if (found.is(KnownHostsMatch.Status.OK)) {
            Optional<String> invalid = HostCertificate.invalidFor(cert, principal(hostname), Instant.now());
            if (invalid.isEmpty()) {
                return Optional.empty();
            }
            notAccepted = refusal.invalidCertificate(invalid.get(), found, ca);
        } else {
            notAccepted = refusal.untrustedCa(ca);
        }
        return checkPlain(hostname, port, cert.getKey(), Optional.of(notAccepted), refusal);
    }

    /**
     * Why a plain key is refused, if it is; {@code certificate}: why the certificate whose key it is
     * was not accepted, if it came in one.
     */
    private Optional<String> checkPlain(String hostname, int port, PublicKey key, Optional<String> certificate,
            HostKeyRefusal refusal) throws IOException {
        String lookup = lookup(hostname, port);
        KnownHostsMatch found = search.find(lookup, key);
        Optional<String> bare = bareName(hostname, port);
        if (found.is(KnownHostsMatch.Status.NEW) && bare.isPresent()) {
            // ssh's "found matching key w/out port": read only, and only this key counts there
            KnownHostsMatch withoutPort = search.find(bare.get(), key);
            found = withoutPort.is(KnownHostsMatch.Status.OK) || withoutPort.is(KnownHostsMatch.Status.REVOKED) ? withoutPort : found;
        }
        if (found.is(KnownHostsMatch.Status.NEW) && acceptNew && !keys.userFiles().isEmpty()) {
            Path file = keys.userFiles().get(0);
            synchronized (KnownHostsWriter.lock(file)) {
                // another connection may have recorded this host since: what it recorded decides
                found = search.find(lookup, key);
                if (found.is(KnownHostsMatch.Status.NEW)) {
                    try {
                        KnownHostsWriter.append(file, line(lookup, key));
                    } catch (IOException e) {
                        return Optional.of("cannot record the host key for " + refusal.where() + ": " + e.getMessage());
                    }
                    return Optional.empty();
                }
            }
        }
        switch (found.status()) {
            case OK:
                return Optional.empty();
            case REVOKED:
                return Optional.of(refusal.revoked(found, describe(key)));
            case CHANGED:
                return Optional.of(refusal.changed(found, describe(key), certificate));
            default:
                break;
        }
        return Optional.of(refusal.unknown(describe(key), certificate, files));
    }

    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
        return search.preferredAlgorithms(lookup(hostname, port));
    }

    /**
     * The host's name without its port, under which ssh looks a host on another port than 22 up
     * too when nothing lists it with the port (a HostKeyAlias is the only name, as it has no port).
     */
    private Optional<String> bareName(String hostname, int port) {
        return keys.alias().isPresent() || port == 22 ? Optional.empty() : Optional.of(hostname.toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * The name a host certificate must list: the HostKeyAlias if there is one, else the host name
     * (after HostName), lower-cased as ssh has it.
     */
    private String principal(String hostname) {
        return keys.alias().orElse(hostname.toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * How known_hosts names the host: its HostKeyAlias if it has one (no port, as in OpenSSH), else
     * its name lower-cased as ssh does (hashed lines hash that form).
     */
    private String lookup(String hostname, int port) {
        if (keys.alias().isPresent()) {
            return keys.alias().get();
        }
        String host = hostname.toLowerCase(java.util.Locale.ROOT);
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    /** The known_hosts line accept-new records for the host known as {@code lookup}. */
    private String line(String lookup, PublicKey key) {
        String name = keys.hashRecorded() ? KnownHostsFiles.hashed(lookup) : lookup;
        return name + " " + KeyType.fromKey(key) + " " + Base64.getEncoder().encodeToString(blob(key)) + "\n";
    }

    /** The key as messages show it: {@code ED25519 SHA256:...}. */
    static String describe(PublicKey key) {
        return describe(KeyType.fromKey(key).toString(), blob(key));
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
        if (sshType.startsWith("ssh-dss")) {
            return "DSA";
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
