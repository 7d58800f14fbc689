package dev.opsctl.target.ssh;

import java.util.Set;

/**
 * The user key types opsctl offers to log in, agent keys and key files alike: those of OpenSSH
 * 9.2's default PubkeyAcceptedAlgorithms (RSA signing with SHA-2), and their certificates. ssh
 * skips other keys (DSA) without offering them, and so does opsctl: sshd refuses them, and each
 * refusal counts against its MaxAuthTries, which the right key may then not get to.
 */
final class OfferedKeyTypes {
    private static final Set<String> TYPES = Set.of("ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
            "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com", "ssh-rsa",
            "ssh-ed25519-cert-v01@openssh.com", "ecdsa-sha2-nistp256-cert-v01@openssh.com", "ecdsa-sha2-nistp384-cert-v01@openssh.com",
            "ecdsa-sha2-nistp521-cert-v01@openssh.com", "sk-ssh-ed25519-cert-v01@openssh.com",
            "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com", "ssh-rsa-cert-v01@openssh.com");

    private OfferedKeyTypes() {}

    static boolean offered(String type) {
        return TYPES.contains(type);
    }

    /** What the list of keys tried says of a key of {@code type} that is not offered. */
    static String notOffered(String type) {
        return "not offered: OpenSSH 9.2 accepts no '" + type + "' keys";
    }
}
