package dev.opsctl.target.ssh;

import com.hierynomus.sshj.userauth.certificate.Certificate;
import java.security.PublicKey;
import java.util.Optional;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.SSHRuntimeException;

/**
 * An OpenSSH user certificate as the agent or a {@code -cert.pub} file holds it: its type (such as
 * {@code ssh-ed25519-cert-v01@openssh.com}) and its blob, offered as it is.
 */
record UserCertificate(String type, byte[] blob) {
    private static final String SUFFIX = "-cert-v01@openssh.com";

    /** {@code blob} when it is a certificate. */
    static Optional<UserCertificate> of(byte[] blob) {
        try {
            String type = new Buffer.PlainBuffer(blob).readString();
            return isCertificate(type) ? Optional.of(new UserCertificate(type, blob)) : Optional.empty();
        } catch (Buffer.BufferException e) {
            return Optional.empty();
        }
    }

    /** The blob of the key a certificate certifies; the certificate's own blob when it cannot be read. */
    static byte[] certifiedKey(byte[] certificate) {
        try {
            PublicKey key = new Buffer.PlainBuffer(certificate).readPublicKey();
            return key instanceof Certificate<?> c ? new Buffer.PlainBuffer().putPublicKey(c.getKey()).getCompactData() : certificate;
        } catch (Buffer.BufferException | SSHRuntimeException e) {
            return certificate;
        }
    }

    static boolean isCertificate(String type) {
        return type.endsWith(SUFFIX);
    }

    /** The algorithm of the signature made with the certified key for {@link #algorithm(String)}. */
    static String signatureAlgorithm(String type) {
        String plain = type.substring(0, type.length() - SUFFIX.length());
        return plain.equals("ssh-rsa") ? "rsa-sha2-512" : plain;
    }

    /**
     * The algorithm to offer it with: an RSA certificate's type names SHA-1 signatures, which
     * OpenSSH 8.8+ refuses (not in PubkeyAcceptedAlgorithms); its SHA-512 name is offered instead.
     */
    static String algorithm(String type) {
        return type.equals("ssh-rsa" + SUFFIX) ? "rsa-sha2-512" + SUFFIX : type;
    }
}
