package dev.opsctl.target.ssh;

import com.hierynomus.sshj.userauth.certificate.Certificate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.schmizz.sshj.common.KeyType;

/**
 * Looks a key up in a host's known_hosts files (the user's, then the system's) under one name, by
 * OpenSSH's rules: a revoked key (or, for a certificate, its own key or its CA) is refused whatever
 * else is listed; otherwise any line with the key accepts it, a plain line a plain key and a
 * {@code @cert-authority} line a certificate its CA signed; a name listed only with other keys, of
 * any type, has changed. A file that cannot be read, or is a directory, is skipped as ssh skips it.
 */
final class KnownHostsSearch {
    private final List<Path> files;

    KnownHostsSearch(List<Path> files) {
        this.files = List.copyOf(files);
    }

    KnownHostsMatch find(String name, PublicKey key) throws IOException {
        byte[] offered = KnownHostsVerifier.blob(key);
        boolean certificate = key instanceof Certificate<?>;
        byte[] ca = key instanceof Certificate<?> cert ? cert.getSignatureKey() : null;
        KnownHostsMatch ok = null;
        KnownHostsMatch changed = null;
        for (Path file : files) {
            if (!readable(file)) {
                continue;
            }
            for (KnownHostsFiles.Line line : read(file).candidates(name)) {
                if (!line.names(name)) {
                    continue;
                }
                if (line.revoked()) {
                    // the key itself, whether the line or the host has it plain or in a certificate
                    if (line.holdsKeyOf(offered)) {
                        return new KnownHostsMatch(KnownHostsMatch.Status.REVOKED, file, line);
                    }
                    if (line.holdsKeyOf(ca)) {
                        return new KnownHostsMatch(KnownHostsMatch.Status.REVOKED_CA, file, line);
                    }
                } else if (line.certAuthority() != certificate) {
                    continue;
                } else if (certificate ? line.holdsKeyOf(ca) : line.holds(offered)) {
                    ok = ok == null ? new KnownHostsMatch(KnownHostsMatch.Status.OK, file, line) : ok;
                } else if (changed == null) {
                    changed = new KnownHostsMatch(KnownHostsMatch.Status.CHANGED, file, line);
                }
            }
        }
        return ok != null ? ok : changed != null ? changed : KnownHostsMatch.NEW;
    }

    /** The host key algorithms to ask for first for the host known as {@code name} ({@link HostKeyAlgorithms#preferred}). */
    List<String> preferredAlgorithms(String name) {
        Set<String> plainTypes = new LinkedHashSet<>();
        boolean certAuthority = false;
        for (Path file : files) {
            try {
                if (!readable(file)) {
                    continue;
                }
                for (KnownHostsFiles.Line line : KnownHostsFiles.read(file).candidates(name)) {
                    if (line.type() == KeyType.UNKNOWN || line.revoked() || !line.names(name)) {
                        continue;
                    }
                    if (line.certAuthority()) {
                        certAuthority = true;
                    } else {
                        plainTypes.add(line.type().toString());
                    }
                }
            } catch (IOException e) {
                // verify() reports it
            }
        }
        return HostKeyAlgorithms.preferred(plainTypes, certAuthority);
    }

    private static KnownHostsFiles.Parsed read(Path file) throws IOException {
        try {
            return KnownHostsFiles.read(file);
        } catch (IOException e) {
            throw KnownHostsWriter.failure("read", file, e);
        }
    }

    private static boolean readable(Path file) {
        return Files.isReadable(file) && !Files.isDirectory(file);
    }
}
