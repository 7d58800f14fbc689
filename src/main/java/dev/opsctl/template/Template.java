package dev.opsctl.template;

import java.util.List;

/**
 * A parsed text with {@code {{ expr }}} holes. {@code expr} is a dotted variable ({@code host.name},
 * {@code params.x}, {@code steps.id.stdout}), {@code raw(x)} (no quoting) or {@code default(x, "v")}.
 * Immutable and thread-safe.
 */
public final class Template {
    /** Parses; a malformed hole ({@code {{ }}}, an unclosed {@code {{}) throws with its offset. */
    public static Template parse(String text) throws TemplateException {
        throw new UnsupportedOperationException("TODO");
    }

    /** Renders; an undefined variable throws with its offset. Secrets are revealed (mask for display). */
    public String render(Scope scope, Quoting quoting) throws TemplateException {
        throw new UnsupportedOperationException("TODO");
    }

    /** Every variable the template reads, in order. */
    public List<VarRef> references() {
        throw new UnsupportedOperationException("TODO");
    }

    /** True when the text has no holes. */
    public boolean isLiteral() {
        throw new UnsupportedOperationException("TODO");
    }
}
