package dev.opsctl.engine.plan;

import java.util.List;
import java.util.Map;

/**
 * What a run would do. Every host runs the same steps in order ({@code steps}); whether a
 * conditional step runs is only known on the host, so all are listed and marked. {@code triggers}:
 * what would fire and what it would do.
 */
public record Plan(String runbook, List<HostBatch> batches, List<PlannedStep> steps, Estimate estimate,
        List<PlannedTrigger> triggers) {
    public Plan {
        batches = List.copyOf(batches);
        steps = List.copyOf(steps);
        triggers = List.copyOf(triggers);
    }

    public Plan(String runbook, List<HostBatch> batches, List<PlannedStep> steps, Estimate estimate) {
        this(runbook, batches, steps, estimate, List.of());
    }

    public int hostCount() {
        return batches.stream().mapToInt(b -> b.hosts().size()).sum();
    }

    /** The step list per host name, in batch order. */
    public Map<String, List<PlannedStep>> stepsByHost() {
        Map<String, List<PlannedStep>> m = new java.util.LinkedHashMap<>();
        batches.forEach(b -> b.names().forEach(n -> m.put(n, steps)));
        return m;
    }
}
