package dev.opsctl.runbook.model;

import dev.opsctl.action.Invocation;
import dev.opsctl.action.TemplatedDuration;
import dev.opsctl.source.SourcePos;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * One step: what it does ({@code action}) and the options every step type shares. {@code retries}
 * extra attempts are made {@code delay} apart (it may be a template) while the step fails or its
 * {@code until} is false.
 * An {@code idempotent} step may be re-run by {@code runs resume} after it was interrupted.
 * {@code vars} are extra template variables (from an {@code include}'s {@code vars:}).
 */
public record Step(
        String id,
        Optional<String> name,
        Invocation<?> action,
        Optional<String> when,
        int retries,
        TemplatedDuration delay,
        Optional<String> until,
        Optional<Duration> timeout,
        Optional<String> register,
        boolean ignoreErrors,
        boolean sudo,
        Optional<Duration> estimate,
        boolean idempotent,
        RunOn runOn,
        Map<String, Object> vars,
        SourcePos pos) {

    public Step {
        vars = Map.copyOf(vars);
    }

    public String title() {
        return name.orElse(id);
    }

    /** The plan-time duration: the step's {@code estimate}, else its type's guess. */
    public Duration estimated() {
        return estimate.orElseGet(action::estimate);
    }
}
