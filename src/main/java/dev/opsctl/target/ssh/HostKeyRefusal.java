package dev.opsctl.target.ssh;

import dev.opsctl.target.SingleQuoted;
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
    private final Optional<String> jumpHost;

    /**
     * For the host dialled as {@code hostname} on {@code port}, known in known_hosts as
     * {@code lookup}, through {@code jumpHost} if it is reached through one.
     */
    HostKeyRefusal(String hostname, int port, String lookup, HostKeys keys, Path home, Optional<String> jumpHost) {
        this.hostname = hostname;
        this.port = port;
        this.lookup = lookup;
        this.keys = keys;
        this.home = home;
        this.jumpHost = jumpHost;
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

    String signedByCertificate(String caFingerprint) {
        return "host certificate for " + where() + " is signed by a key that is itself a certificate (" + caFingerprint
                + "), which OpenSSH refuses; someone may be intercepting the connection";
    }

    /** Why a certificate was not taken, for the messages about its plain key that follow. */
    String untrustedCa(String caFingerprint) {
        return "its certificate was not accepted: no @cert-authority line trusts its CA " + caFingerprint + " for this host"
                + " (a line '@cert-authority " + lookup + " <CA public key>' in a known_hosts file would)";
    }

    String invalidCertificate(String why, KnownHostsMatch trusted, String caFingerprint) {
        return "its certificate was not accepted: " + why + " (its CA " + caFingerprint + " is trusted by " + trusted.where() + ")";
    }

    /**
     * A key other than the listed one; {@code certificate}: why the host's certificate, whose key
     * this is, was not accepted, if it had one.
     */
    String changed(KnownHostsMatch found, String offered, Optional<String> certificate) {
        String listedType = found.line().describeKey().split(" ")[0];
        String notOffered = offered.startsWith(listedType + " ") || found.line().describeKey().startsWith("an ") ? ""
                : ", and no " + listedType + " key";
        return "HOST KEY CHANGED for " + where() + ": " + found.where() + " has " + found.line().describeKey()
                + " but the host offered " + offered + notOffered + certificate.map(c -> " (" + c + ")").orElse("")
                + "; someone may be intercepting the connection, or the host was reinstalled; if the change is expected,"
                + " verify the new key, then remove the old one with: ssh-keygen -f " + shown(found.file()) + " -R "
                + RemoteCommand.quote(lookup);
    }

    /** A key nothing lists, refused without accept-new; {@code certificate} as for {@link #changed}. */
    String unknown(String offered, Optional<String> certificate, List<Path> files) {
        String known = "host key for " + where() + " is not known: " + offered + certificate.map(c -> "; " + c).orElse("");
        if (keys.userFiles().isEmpty()) {
            return known + "; the ssh config says 'UserKnownHostsFile none', so only " + listed(files)
                    + " are read and nothing is recorded; add the key to one of them, or name a UserKnownHostsFile";
        }
        // ssh-keyscan names the host as known_hosts does, [host]:port; an alias takes its place
        String scan = "ssh-keyscan " + (keys.hashRecorded() && keys.alias().isEmpty() ? "-H " : "")
                + (port == 22 ? "" : "-p " + port + " ") + RemoteCommand.quote(hostname);
        String renamed = keys.alias().map(a -> " | sed " + SingleQuoted.of("s/^[^ ]*/" + sedReplacement(a) + "/")).orElse("");
        String into = renamed + " >> " + shown(keys.userFiles().get(0));
        if (jumpHost.isPresent()) {
            // a scan from this machine would not reach a host behind a jump host
            return known + "; verify it, then add it with --accept-new-host-keys or, through the jump host '" + jumpHost.get()
                    + "', with: ssh " + RemoteCommand.quote(jumpHost.get()) + " " + SingleQuoted.of(scan) + into;
        }
        return known + "; verify it, then add it with --accept-new-host-keys or with: " + scan + into;
    }

    /** {@code s} as the replacement of a sed {@code s/.../.../} command: its {@code \}, {@code /} and {@code &} escaped. */
    private static String sedReplacement(String s) {
        return s.replace("\\", "\\\\").replace("/", "\\/").replace("&", "\\&");
    }

    private static String listed(List<Path> files) {
        return files.stream().map(Path::toString).collect(java.util.stream.Collectors.joining(", "));
    }

    /** A file as a shell word: under the home directory as {@code ~/...}. */
    private String shown(Path file) {
        Path abs = file.toAbsolutePath();
        return abs.startsWith(home) && !abs.equals(home) ? "~/" + RemoteCommand.quote(home.relativize(abs).toString())
                : RemoteCommand.quote(abs.toString());
    }
}
