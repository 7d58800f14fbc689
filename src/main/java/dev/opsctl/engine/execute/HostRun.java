package dev.opsctl.engine.execute;

import dev.opsctl.action.Invocation;
import dev.opsctl.action.StepResult;
import dev.opsctl.inventory.Host;
import dev.opsctl.target.Target;
import java.time.Duration;
import java.util.Map;

/**
 * A host being run, as hooks see it: its target, a snapshot of its template variables (params, host,
 * steps, registers) for rendering a probe or evaluating a condition, and {@code probes}, which runs a
 * probe (a trigger's or a checked gate item's) exactly as the engine runs a step on this host.
 */
public record HostRun(String runId, Host host, Target target, Map<String, Object> variables, Probes probes) {
    /** Runs a probe for this host; a probe's failure is a FAILED result, never an exception. */
    @FunctionalInterface
    public interface Probes {
        Probes NONE = (probe, timeout) -> StepResult.failed("no probes can run here", Map.of());

        StepResult run(Invocation<?> probe, Duration timeout) throws InterruptedException;
    }

    public HostRun {
        variables = Map.copyOf(variables);
    }

    public HostRun(String runId, Host host, Target target, Map<String, Object> variables) {
        this(runId, host, target, variables, Probes.NONE);
    }
}
