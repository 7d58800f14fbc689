package dev.opsctl.source;

import java.util.Comparator;
import java.util.Optional;

/** One diagnostic: what is wrong, where, and (optionally) how to fix it. */
public record Problem(Severity severity, SourcePos pos, String message, Optional<String> hint) {
    public enum Severity {
        ERROR,
        WARNING;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static final Comparator<Problem> BY_POSITION = Comparator.comparing((Problem p) -> p.pos().file())
            .thenComparingInt(p -> p.pos().line())
            .thenComparingInt(p -> p.pos().col())
            .thenComparing(Problem::message);

    public static Problem error(SourcePos pos, String message) {
        return new Problem(Severity.ERROR, pos, message, Optional.empty());
    }

    public static Problem error(SourcePos pos, String message, String hint) {
        return new Problem(Severity.ERROR, pos, message, Optional.ofNullable(hint));
    }

    /** The first line of the compiler-style rendering: {@code file:line:col: error: message}. */
    public String headline() {
        return pos + ": " + severity.label() + ": " + message;
    }
}
