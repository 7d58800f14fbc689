package dev.opsctl.engine.trigger;

import dev.opsctl.action.Invocation;
import dev.opsctl.action.StepResult;
import java.time.Duration;

/** Runs a trigger's probe for one host, as the engine runs a step (same context, same target), within {@code timeout}. */
@FunctionalInterface
public interface ProbeRunner {
    StepResult run(Invocation<?> probe, Duration timeout) throws InterruptedException;
}
