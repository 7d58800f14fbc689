package dev.opsctl.source;

import java.util.List;

/** A YAML sequence. */
public record SeqNode(List<Node> items, SourcePos pos) implements Node {
    public SeqNode {
        items = List.copyOf(items);
    }

    @Override
    public String describe() {
        return "a list";
    }
}
