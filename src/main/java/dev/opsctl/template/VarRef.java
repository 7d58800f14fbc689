package dev.opsctl.template;

import java.util.List;

/** A variable a template or condition reads: its dotted path and its offset in the source text. */
public record VarRef(List<String> path, int offset) {
    public VarRef {
        path = List.copyOf(path);
    }

    public String dotted() {
        return String.join(".", path);
    }
}
