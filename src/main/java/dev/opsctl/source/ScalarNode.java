package dev.opsctl.source;

/**
 * A YAML scalar with its text as written and the type YAML resolved it to. A quoted "5" is a
 * {@link Kind#STRING}; a plain 5 is an {@link Kind#INT}. {@code plain}: written without quotes,
 * block style, tag or anchor, so that another YAML version may resolve its text to another type.
 */
public record ScalarNode(String text, Kind kind, SourcePos pos, boolean plain) implements Node {
    public enum Kind {
        STRING,
        INT,
        FLOAT,
        BOOL,
        NULL
    }

    public boolean isNull() {
        return kind == Kind.NULL;
    }

    @Override
    public String describe() {
        return switch (kind) {
            case STRING -> "a string";
            case INT -> "an integer";
            case FLOAT -> "a number";
            case BOOL -> "a boolean";
            case NULL -> "nothing (null)";
        };
    }
}
