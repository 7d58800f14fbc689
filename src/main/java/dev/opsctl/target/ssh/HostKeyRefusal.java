package dev.opsctl.target.ssh;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Why a host's key is refused, and how to fix it, in the words {@link SshErrors} reports: one
 * message per way a key fails (revoked, changed, unknown, a certificate that is not accepted).
 */
final class HostKeyRefusal {
    private final String hostname;
    private final int port;
    private final String lookup;
    private final HostKeys keys;
    private final Path home;

    /** For the host dialled as {@code hostname} on {@code port}, known in known_hosts as {@code lookup}. */
    HostKeyRefusal(String hostname, int port, String lookup, HostKeys keys, Path home) {
        this.hostname = hostname;
        this.port = port;
        this.lookup = lookup;
        this.keys = keys;
        this.home = home;
    }

    /** The host as messages name it: {@code 'web1'}, or {@code 'web1' (port 2222)}. */
    String where() {
        return port == 22 ? "'" + hostname + "'" : "'" + hostname + "' (port " + port + ")";
    }

    String revoked(KnownHostsMatch found, String key) {
        return "host key for " + where() + " is REVOKED: " + found.where() + " marks " + key
                + " as revoked; do not connect until the host has a new key";
    }

    String revokedCa(KnownHostsMatch found, String caFingerprint) {
        return "host certificate for " + where() + " is signed by a REVOKED CA: " + found.where() + " marks the CA "
                + caFingerprint + " as revoked; do not connect until the host has a certificate from a trusted CA";
    }

    String forged(String caFingerprint) {
        return "host certificate for " + where() + " does not verify with the CA key it names, " + caFingerprint
                + "; someone may be intercepting the connection";
    }

    /** Why a certificate was not taken, for the messages about its plain key that follow. */
    String untrustedCa(String caFingerprint) {
        return "its certificate was not accepted: no @cert-authority line trusts its CA " + caFingerprint + " for this host"
                + " (a line '@cert-authority " + lookup + " <CA public key>' would)";
    }

    String invalidCertificate(String why, KnownHostsMatch trusted, String caFingerprint) {
        return "its certificate was not accepted: " + why + " (its CA " + caFingerprint + " is trusted by " + trusted.where() + ")";
    }

    /**
     * A key other than the listed one; {@code certificate}: why the host's certificate, whose key
     * this is, was not accepted, if it had one.
     */
    String changed(KnownHostsMatch found, String offered, Optional<String> certificate) {
        return "HOST KEY CHANGED for " + where() + ": " + found.where() + " has " + found.line().describeKey()
                + " but the host offered " + offered + certificate.map(c -> " (" + c + ")").orElse("")
                + "; someone may be intercepting the connection, or the host was reinstalled; if the"
                + " change is expected, remove the old key with 'ssh-keygen -R " + lookup + " -f " + found.file()
                + "' and verify the new one";
    }

    /** A key nothing lists, refused without accept-new; {@code certificate} as for {@link #changed}. */
    String unknown(String offered, Optional<String> certificate, List<Path> files) {
        String known = "host key for " + where() + " is not known: " + offered + certificate.map(c -> "; " + c).orElse("");
        if (keys.userFiles().isEmpty()) {
            return known + "; the ssh config says 'UserKnownHostsFile none', so only " + files
                    + " are read and nothing is recorded; add the key to one of them, or name a UserKnownHostsFile";
        }
        String portFlag = port == 22 ? "" : "-p " + port + " ";
        String added = keys.alias().isPresent() ? " | sed 's/^[^ ]*/" + keys.alias().get() + "/'" : "";
        return known + "; verify it and add it with 'ssh-keyscan " + (keys.hashRecorded() && keys.alias().isEmpty() ? "-H " : "")
                + portFlag + hostname + added + " >> " + shown(keys.userFiles().get(0)) + "' or rerun with --accept-new-host-keys";
    }

    private String shown(Path file) {
        Path abs = file.toAbsolutePath();
        return abs.startsWith(home) ? "~/" + home.relativize(abs) : abs.toString();
    }
}
