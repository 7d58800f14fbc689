package dev.opsctl.target.ssh;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.SSHRuntimeException;

/**
 * What a private key file shows without its passphrase: whether it is encrypted, and the public key
 * that OpenSSH and PuTTY formats keep in clear. A file it cannot read or make sense of is neither
 * encrypted nor has a clear public key: loading it says what is wrong.
 */
final class KeyFileHeaders {
    private static final byte[] OPENSSH_MAGIC = "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII);
    private static final String OPENSSH_BEGIN = "-----BEGIN OPENSSH PRIVATE KEY-----";
    private static final String OPENSSH_END = "-----END OPENSSH PRIVATE KEY-----";
    private static final String PUTTY = "PuTTY-User-Key-File-";

    /** An openssh-key-v1 file's clear part: its cipher and its (first) public key blob. */
    private record OpenSshHeader(String cipher, byte[] publicBlob) {}

    private KeyFileHeaders() {}

    /**
     * Whether a private key file needs a passphrase: a PEM key with an ENCRYPTED header, an OpenSSH
     * key whose cipher is not "none", or a PuTTY key whose Encryption is not "none".
     */
    static boolean encrypted(Path file) {
        Optional<String> read = text(file);
        if (read.isEmpty()) {
            return false;
        }
        String text = read.get();
        if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || text.contains("Proc-Type: 4,ENCRYPTED")) {
            return true;
        }
        if (text.startsWith(PUTTY)) {
            return text.lines().anyMatch(l -> l.startsWith("Encryption: ") && !l.strip().equals("Encryption: none"));
        }
        return openSsh(text).map(h -> !h.cipher().equals("none")).orElse(false);
    }

    /**
     * The public key in the clear part of an OpenSSH or PuTTY file, where sshj would decrypt the
     * file to learn it. With it, the passphrase is asked only once the server accepted the key.
     */
    static Optional<PublicKey> clearPublicKey(Path file) {
        Optional<String> read = text(file);
        if (read.isEmpty()) {
            return Optional.empty();
        }
        String text = read.get();
        Optional<byte[]> blob;
        if (text.startsWith(PUTTY)) {
            blob = puttyPublicBlob(text);
        } else {
            blob = openSsh(text).map(OpenSshHeader::publicBlob);
        }
        if (blob.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Buffer.PlainBuffer(blob.get()).readPublicKey());
        } catch (Buffer.BufferException | SSHRuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> text(Path file) {
        try {
            // ISO-8859-1 reads any byte: a UTF-8 comment or a BOM must not hide the header
            return Optional.of(Files.readString(file, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<OpenSshHeader> openSsh(String text) {
        int begin = text.indexOf(OPENSSH_BEGIN);
        int end = text.indexOf(OPENSSH_END);
        if (begin < 0 || end < begin) {
            return Optional.empty();
        }
        try {
            byte[] blob = Base64.getMimeDecoder().decode(text.substring(begin + OPENSSH_BEGIN.length(), end));
            if (blob.length < OPENSSH_MAGIC.length || !Arrays.equals(blob, 0, OPENSSH_MAGIC.length, OPENSSH_MAGIC, 0,
                    OPENSSH_MAGIC.length)) {
                return Optional.empty();
            }
            ByteBuffer b = ByteBuffer.wrap(blob).position(OPENSSH_MAGIC.length);
            String cipher = new String(string(b), StandardCharsets.US_ASCII);
            string(b); // kdf name
            string(b); // kdf options
            int keys = b.getInt();
            return Optional.of(new OpenSshHeader(cipher, keys >= 1 ? string(b) : new byte[0]));
        } catch (IllegalArgumentException | BufferUnderflowException e) {
            return Optional.empty();
        }
    }

    private static byte[] string(ByteBuffer b) {
        int len = b.getInt();
        if (len < 0 || len > b.remaining()) {
            throw new BufferUnderflowException();
        }
        byte[] s = new byte[len];
        b.get(s);
        return s;
    }

    private static Optional<byte[]> puttyPublicBlob(String text) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("Public-Lines: ")) {
                try {
                    int n = Integer.parseInt(lines.get(i).substring("Public-Lines: ".length()).strip());
                    if (n < 0 || i + 1 + n > lines.size()) {
                        return Optional.empty();
                    }
                    return Optional.of(Base64.getMimeDecoder().decode(String.join("", lines.subList(i + 1, i + 1 + n))));
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
