package dev.opsctl.template;

import java.util.List;
import java.util.Optional;

/**
 * What the templates and conditions at one place of a loaded file may read. Each loader has its own
 * (a runbook's knows steps, a checklist's does not); {@link TemplateChecks} asks it about every variable.
 */
@FunctionalInterface
public interface VarCheck {
    /** What is wrong with one variable: the message and, when there is one, a hint. */
    record Finding(String message, Optional<String> hint) {}

    /** Empty when {@code path} (e.g. {@code [host, name]}) names something that will exist; else what is wrong. */
    Optional<Finding> check(List<String> path);
}
