package dev.opsctl.source;

import java.util.HashMap;
import java.util.Map;

/** The lines of every file read during one load, for exact columns inside one-line scalars. Not thread-safe. */
public final class SourceLines {
    private final Map<String, String[]> lines = new HashMap<>();

    public void add(String file, String text) {
        lines.put(file, text.split("\r?\n", -1));
    }

    /**
     * The position of character {@code offset} of a scalar whose value is {@code value} and which starts
     * at {@code scalar}. Exact when the value is written on one line as it reads (plain, or quoted
     * without escapes); otherwise the scalar's own position (block scalars, folded or escaped text).
     */
    public SourcePos at(SourcePos scalar, String value, int offset) {
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
