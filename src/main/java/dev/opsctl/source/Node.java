package dev.opsctl.source;

/** A YAML node that remembers where it was written. Immutable. */
public sealed interface Node permits MapNode, SeqNode, ScalarNode {
    SourcePos pos();

    /** A short noun for messages: "a mapping", "a list", "a string", ... */
    String describe();
}
