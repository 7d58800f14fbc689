package dev.opsctl.param;

import dev.opsctl.source.SourcePos;
import java.util.List;
import java.util.Optional;

/**
 * A runbook or checklist parameter. {@code defaultValue} is already converted to the type (String, Long, Boolean,
 * Duration, List of String; a secret's default is a {@link dev.opsctl.source.Secret}). A param
 * without a default is required. {@code env} names an environment variable a secret may come from.
 */
public record Param(
        String name,
        ParamType type,
        Optional<Object> defaultValue,
        String description,
        List<String> choices,
        Optional<String> env,
        SourcePos pos) {

    public Param {
        choices = List.copyOf(choices);
    }

    public boolean required() {
        return defaultValue.isEmpty();
    }

    public boolean secret() {
        return type == ParamType.SECRET;
    }
}
