package dev.opsctl.target.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Optional;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.SSHRuntimeException;

/**
 * The public keys of identity files, read without decoding anything: from the file itself when it
 * is a public key (an IdentityFile may name a {@code .pub} whose private half an agent or a token
 * holds), from the {@code .pub} beside it, or from the clear part of an OpenSSH or PuTTY file; and
 * the certificate beside it. Used to match the agent's keys with identity files ({@link OfferedKeys})
 * and to offer a key without decoding it ({@link IdentityKeys}).
 */
final class IdentityBlobs {
    private IdentityBlobs() {}

    static Optional<byte[]> of(Path file) {
        Optional<byte[]> own = publicKeyLine(file);
        if (own.isPresent()) {
            return own;
        }
        Optional<byte[]> beside = publicKeyLine(Path.of(file + ".pub"));
        if (beside.isPresent()) {
            return beside;
        }
        return KeyFileHeaders.clearPublicKey(file).map(KnownHostsVerifier::blob);
    }

    /** The public key of {@code file}, as {@link #of(Path)} finds it, when it is a key and not a certificate. */
    static Optional<PublicKey> publicKey(Path file) {
        Optional<byte[]> blob = of(file);
        if (blob.isEmpty() || UserCertificate.of(blob.get()).isPresent()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Buffer.PlainBuffer(blob.get()).readPublicKey());
        } catch (Buffer.BufferException | SSHRuntimeException e) {
            return Optional.empty();
        }
    }

    /** The certificate ssh offers with an identity file: {@code file-cert.pub}, when it holds one. */
    static Optional<UserCertificate> certificate(Path file) {
        return publicKeyLine(Path.of(file + "-cert.pub")).flatMap(UserCertificate::of);
    }

    /** {@code type base64 [comment]}, as in a {@code .pub} file; empty when the file is not one. */
    private static Optional<byte[]> publicKeyLine(Path file) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > 64 * 1024) {
                return Optional.empty();
            }
            String[] words = Files.readString(file, StandardCharsets.ISO_8859_1).strip().split("\\s+");
            if (words.length < 2 || !(words[0].startsWith("ssh-") || words[0].startsWith("ecdsa-") || words[0].startsWith("sk-"))) {
                return Optional.empty();
            }
            return Optional.of(Base64.getDecoder().decode(words[1]));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
