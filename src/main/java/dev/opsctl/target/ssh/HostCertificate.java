package dev.opsctl.target.ssh;

import com.hierynomus.sshj.userauth.certificate.Certificate;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.common.SSHRuntimeException;
import net.schmizz.sshj.signature.Signature;
import net.schmizz.sshj.signature.SignatureECDSA;
import net.schmizz.sshj.signature.SignatureRSA;

/**
 * The checks OpenSSH 9.2's ssh makes of a host certificate: its CA's signature (checked as ssh
 * reads the certificate: a certificate that fails it ends the connection), then, once a
 * {@code @cert-authority} line trusts the CA, that it is a host certificate, valid now, for the
 * name ssh checks (the HostKeyAlias, else the host name, compared exactly: no patterns), without
 * critical options and signed with an algorithm of CASignatureAlgorithms' default.
 */
final class HostCertificate {
    private static final long HOST_CERTIFICATE = 2;
    /** CASignatureAlgorithms' default in OpenSSH 9.2, without the security-key types. */
    private static final Map<String, Factory.Named<Signature>> CA_SIGNATURES = Map.of(
            "ssh-ed25519", Ed25519Signature.FACTORY,
            "ecdsa-sha2-nistp256", new SignatureECDSA.Factory256(),
            "ecdsa-sha2-nistp384", new SignatureECDSA.Factory384(),
            "ecdsa-sha2-nistp521", new SignatureECDSA.Factory521(),
            "rsa-sha2-512", new SignatureRSA.FactoryRSASHA512(),
            "rsa-sha2-256", new SignatureRSA.FactoryRSASHA256());

    private HostCertificate() {}

    /**
     * Whether the key that signed the certificate is itself a certificate: OpenSSH refuses such a
     * certificate as it reads it (SSH_ERR_KEY_CERT_INVALID_SIGN_KEY), whatever the CA lines say.
     */
    static boolean signedByCertificate(Certificate<?> cert) {
        try {
            return UserCertificate.isCertificate(new Buffer.PlainBuffer(cert.getSignatureKey()).readString());
        } catch (Buffer.BufferException e) {
            return false; // forged() finds it does not verify
        }
    }

    /**
     * Whether the certificate's signature, made with an algorithm opsctl accepts for CAs, does not
     * verify with the CA key it names: such a certificate was not made by that CA. (One signed with
     * another algorithm is {@link #invalidFor invalid} instead, as in OpenSSH.)
     */
    static boolean forged(Certificate<?> cert) {
        try {
            Factory.Named<Signature> algorithm = CA_SIGNATURES.get(signatureAlgorithm(cert));
            if (algorithm == null) {
                return false;
            }
            // the signature covers the whole certificate up to the signature itself
            byte[] blob = KnownHostsVerifier.blob(cert);
            byte[] signed = Arrays.copyOf(blob, blob.length - 4 - cert.getSignature().length);
            Signature signature = algorithm.create();
            signature.initVerify(new Buffer.PlainBuffer(cert.getSignatureKey()).readPublicKey());
            signature.update(signed, 0, signed.length);
            return !signature.verify(cert.getSignature());
        } catch (Buffer.BufferException | SSHRuntimeException | IllegalArgumentException e) {
            if (missingAlgorithm(e)) {
                throw e instanceof SSHRuntimeException r ? r : new SSHRuntimeException(e);
            }
            return true;
        }
    }

    /**
     * Why the certificate does not vouch for the host named {@code name} at {@code now}, if it does
     * not; a certificate a trusted CA signed is checked with this.
     */
    static Optional<String> invalidFor(Certificate<?> cert, String name, Instant now) {
        if (cert.getType() != HOST_CERTIFICATE) {
            return Optional.of("it is not a host certificate");
        }
        if (cert.getValidAfter() != null && now.isBefore(cert.getValidAfter().toInstant())) {
            return Optional.of("it is not valid before " + cert.getValidAfter().toInstant());
        }
        if (cert.getValidBefore() != null && !now.isBefore(cert.getValidBefore().toInstant())) {
            return Optional.of("it expired at " + cert.getValidBefore().toInstant());
        }
        if (!cert.getValidPrincipals().isEmpty() && !cert.getValidPrincipals().contains(name)) {
            return Optional.of("'" + name + "' is not among its principals ('" + String.join("', '", cert.getValidPrincipals()) + "')");
        }
        if (!cert.getCritOptions().isEmpty()) {
            return Optional.of("it has critical options, which no host certificate may have");
        }
        String algorithm = signatureAlgorithm(cert);
        if (!CA_SIGNATURES.containsKey(algorithm)) {
            return Optional.of("its CA signed it with '" + algorithm + "', which OpenSSH 9.2 does not accept from a CA");
        }
        return Optional.empty();
    }

    private static String signatureAlgorithm(Certificate<?> cert) {
        try {
            return new Buffer.PlainBuffer(cert.getSignature()).readString();
        } catch (Buffer.BufferException e) {
            return "(unreadable)";
        }
    }

    /** A JDK without the algorithm: the connector retries with BouncyCastle registered. */
    private static boolean missingAlgorithm(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NoSuchAlgorithmException || t instanceof NoSuchProviderException) {
                return true;
            }
        }
        return false;
    }
}
