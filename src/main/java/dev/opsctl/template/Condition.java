package dev.opsctl.template;

import java.util.List;

/**
 * A boolean expression: comparisons {@code == != < <= > >=}, {@code contains}, {@code matches}
 * (regex), {@code and}/{@code or}/{@code not}, parentheses; operands are variables, numbers,
 * quoted strings, durations ({@code 30s}) and {@code true}/{@code false}. Immutable, thread-safe.
 */
public final class Condition {
    public static Condition parse(String text) throws TemplateException {
        throw new UnsupportedOperationException("TODO");
    }

    public boolean test(Scope scope) throws TemplateException {
        throw new UnsupportedOperationException("TODO");
    }

    public List<VarRef> references() {
        throw new UnsupportedOperationException("TODO");
    }
}
