package dev.opsctl.target.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;

/**
 * The public keys of identity files, read without decoding anything: from the file itself when it
 * is a public key (an IdentityFile may name a {@code .pub} whose private half an agent or a token
 * holds), from the {@code .pub} beside it, or from the clear part of an OpenSSH or PuTTY file. Used
 * to match the agent's keys with identity files ({@link OfferedKeys}).
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
