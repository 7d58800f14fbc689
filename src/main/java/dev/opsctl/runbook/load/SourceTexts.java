package dev.opsctl.runbook.load;

import dev.opsctl.source.SourceLines;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The texts of every file read during one load: their lines (for exact columns inside scalars), and the
 * runbook digest (SHA-256 over the bytes of the file and of each included file, in reading order).
 */
final class SourceTexts {
    private final SourceLines lines;
    private final MessageDigest digest;

    SourceTexts(SourceLines lines) {
        this.lines = lines;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    String add(String file, byte[] bytes) {
        digest.update(bytes);
        String text = new String(bytes, StandardCharsets.UTF_8);
        lines.add(file, text);
        return text;
    }

    String digestHex() {
        try {
            return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests are cloneable", e);
        }
    }
}
