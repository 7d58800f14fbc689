package dev.opsctl.checklist;

import dev.opsctl.source.SourcePos;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A checklist parameter, written as a runbook's are: {@code name: {type, default, description,
 * choices, env}} or {@code name: value}. {@code defaultValue} is already of its type (String, Long,
 * Boolean, Duration, List of String, or a {@link dev.opsctl.source.Secret}).
 */
public record ChecklistParam(
        String name, Type type, Optional<Object> defaultValue, String description, List<String> choices, Optional<String> env,
        SourcePos pos) {

    public enum Type {
        STRING,
        INT,
        BOOL,
        DURATION,
        LIST,
        SECRET;

        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ChecklistParam {
        choices = List.copyOf(choices);
    }

    public boolean required() {
        return defaultValue.isEmpty();
    }
}
