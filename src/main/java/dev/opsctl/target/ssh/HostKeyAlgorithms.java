package dev.opsctl.target.ssh;

import com.hierynomus.sshj.key.KeyAlgorithm;
import com.hierynomus.sshj.key.KeyAlgorithms;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.signature.Signature;
import net.schmizz.sshj.signature.SignatureRSA;

/**
 * The host key algorithms opsctl asks for, by name, and which of them to ask for first for a host
 * whose keys are known, as OpenSSH orders its HostKeyAlgorithms.
 */
final class HostKeyAlgorithms {
    private static final String CERT_SUFFIX = "-cert-v01@openssh.com";

    /**
     * OpenSSH 9.2's default HostKeyAlgorithms without the security-key ({@code sk-}) types: no DSA,
     * and RSA only with SHA-2 signatures ({@code ssh-rsa} signs with SHA-1).
     */
    static final List<String> NAMES = List.of(
            "ssh-ed25519-cert-v01@openssh.com",
            "ecdsa-sha2-nistp256-cert-v01@openssh.com",
            "ecdsa-sha2-nistp384-cert-v01@openssh.com",
            "ecdsa-sha2-nistp521-cert-v01@openssh.com",
            "rsa-sha2-512-cert-v01@openssh.com",
            "rsa-sha2-256-cert-v01@openssh.com",
            "ssh-ed25519",
            "ecdsa-sha2-nistp256",
            "ecdsa-sha2-nistp384",
            "ecdsa-sha2-nistp521",
            "rsa-sha2-512",
            "rsa-sha2-256");

    private HostKeyAlgorithms() {}

    /**
     * sshj's factories for {@link #NAMES}, in that order, with RSA certificates signed with SHA-2
     * (sshj has only {@code ssh-rsa-cert-v01}, SHA-1). sshj also takes a user key's signature
     * algorithms from this list: an RSA user key signs with rsa-sha2-512, then rsa-sha2-256, never
     * with ssh-rsa, and a DSA user key is not offered, as in OpenSSH 9.2 (PubkeyAcceptedAlgorithms).
     */
    static List<Factory.Named<KeyAlgorithm>> of(List<Factory.Named<KeyAlgorithm>> sshj) {
        Map<String, Factory.Named<KeyAlgorithm>> byName = new LinkedHashMap<>();
        for (Factory.Named<KeyAlgorithm> f : sshj) {
            byName.put(f.getName(), f);
        }
        for (String bits : List.of("512", "256")) {
            String name = "rsa-sha2-" + bits;
            byName.put(name + CERT_SUFFIX, new KeyAlgorithms.Factory(name + CERT_SUFFIX,
                    new RsaCertificateSignature(name, "SHA" + bits + "withRSA"), KeyType.RSA_CERT));
        }
        List<Factory.Named<KeyAlgorithm>> out = new ArrayList<>(NAMES.size());
        for (String name : NAMES) {
            Factory.Named<KeyAlgorithm> f = byName.get(name);
            if (f == null) {
                throw new IllegalStateException("sshj has no host key algorithm " + name);
            }
            out.add(f);
        }
        return out;
    }

    /** A host key signature by an RSA certificate's key with SHA-2 ({@code rsa-sha2-512-cert-v01} and -256). */
    private record RsaCertificateSignature(String name, String jcaAlgorithm) implements Factory.Named<Signature> {
        @Override
        public Signature create() {
            return new SignatureRSA(jcaAlgorithm, KeyType.RSA_CERT, name);
        }

        @Override
        public String getName() {
            return name;
        }
    }

    static boolean isCertificate(String algorithm) {
        return algorithm.endsWith(CERT_SUFFIX);
    }

    /**
     * The key type, as a known_hosts line names it, of the keys an algorithm (or a known_hosts key
     * type) stands for: {@code ssh-rsa} for {@code rsa-sha2-512} and for RSA certificates,
     * {@code ssh-ed25519} for its certificates.
     */
    static String plainType(String algorithm) {
        String plain = isCertificate(algorithm) ? algorithm.substring(0, algorithm.length() - CERT_SUFFIX.length()) : algorithm;
        return plain.startsWith("rsa-sha2-") || plain.equals("ssh-rsa") ? "ssh-rsa" : plain;
    }

    /**
     * The algorithms to ask the host for first, in {@link #NAMES} order: the plain ones whose keys
     * are of a type a plain line lists for the host ({@code plainTypes}, known_hosts key types), and
     * every certificate algorithm if a {@code @cert-authority} line names it, as OpenSSH orders them.
     * Without this the host would show its most preferred key, and a host pinned by its RSA key
     * would seem to have a new one. Unlike OpenSSH, a plain line does not put certificates of its
     * type first: it can check the plain key only.
     */
    static List<String> preferred(Set<String> plainTypes, boolean certAuthority) {
        List<String> known = new ArrayList<>();
        for (String type : plainTypes) {
            known.add(plainType(type));
        }
        List<String> out = new ArrayList<>();
        for (String algorithm : NAMES) {
            boolean certificate = isCertificate(algorithm);
            if (certificate ? certAuthority : known.contains(plainType(algorithm))) {
                out.add(algorithm);
            }
        }
        return out;
    }
}
