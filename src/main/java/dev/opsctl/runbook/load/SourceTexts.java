package dev.opsctl.runbook.load;

import dev.opsctl.source.SourcePos;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The texts of every file read during one load: for exact columns inside scalars, and for the
 * runbook digest (SHA-256 over the bytes of the file and of each included file, in reading order).
 */
final class SourceTexts {
    private final Map<String, String[]> lines = new HashMap<>();
    private final MessageDigest digest;

    SourceTexts() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    String add(String file, byte[] bytes) {
        digest.update(bytes);
        String text = new String(bytes, StandardCharsets.UTF_8);
        lines.put(file, text.split("\r?\n", -1));
        return text;
    }

    String digestHex() {
        try {
            return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests are cloneable", e);
        }
    }

    /**
     * The position of character {@code offset} of a scalar whose value is {@code value} and which starts
     * at {@code scalar}. Exact when the value is written on one line as it reads (plain, or quoted
     * without escapes); otherwise the scalar's own position (block scalars, folded or escaped text).
     */
    SourcePos at(SourcePos scalar, String value, int offset) {
        String[] fileLines = lines.get(scalar.file());
        if (fileLines == null || !scalar.isKnown() || scalar.line() > fileLines.length || offset < 0 || offset > value.length()
                || value.indexOf('\n') >= 0) {
            return scalar;
        }
        String line = fileLines[scalar.line() - 1];
        int start = scalar.col() - 1;
        if (start >= line.length()) {
            return scalar;
        }
        char first = line.charAt(start);
        int valueStart = first == '"' || first == '\'' ? start + 1 : start;
        if (!line.startsWith(value, valueStart)) {
            return scalar;
        }
        return new SourcePos(scalar.file(), scalar.line(), valueStart + offset + 1);
    }
}
