package dev.opsctl.checklist.run;

import dev.opsctl.action.Invocation;
import dev.opsctl.action.StepResult;
import dev.opsctl.target.TargetException;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a checked item's probe. The app layer implements it over the engine's step context (the host's
 * target, or the controller's local target when {@code host} is empty); tests use a fake.
 *
 * <p>{@code vars} is the root of the template scope the probe renders in: every param by its bare
 * name and under {@code params}, {@code vars}, {@code run} ({@code operator}, {@code started}) and,
 * for a host item, {@code host.name} and {@code host.address} (the name; an implementation with an inventory
 * should put the real address and user there).
 * Secret params are {@link dev.opsctl.source.Secret} values; mask output with them.
 *
 * <p>A failing check is a {@link StepResult} with a failed outcome; an unreachable host is a
 * {@link TargetException}. Must return promptly with {@link InterruptedException} when interrupted.
 * Called from one thread at a time.
 */
@FunctionalInterface
public interface ProbeRunner {
    StepResult run(Invocation<?> probe, Optional<String> host, Map<String, Object> vars) throws TargetException, InterruptedException;
}
