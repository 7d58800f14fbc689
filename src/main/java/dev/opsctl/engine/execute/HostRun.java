package dev.opsctl.engine.execute;

import dev.opsctl.inventory.Host;
import dev.opsctl.target.Target;
import java.util.Map;

/**
 * A host being run, as hooks see it: its target (for probes) and a snapshot of its template
 * variables (params, host, steps, registers) for rendering a probe or evaluating a condition.
 */
public record HostRun(String runId, Host host, Target target, Map<String, Object> variables) {
    public HostRun {
        variables = Map.copyOf(variables);
    }
}
