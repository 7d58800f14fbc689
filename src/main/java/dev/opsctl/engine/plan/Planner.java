package dev.opsctl.engine.plan;

import dev.opsctl.engine.strategy.Batches;
import dev.opsctl.inventory.Host;
import dev.opsctl.runbook.model.RunOn;
import dev.opsctl.runbook.model.Runbook;
import dev.opsctl.runbook.model.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Turns a runbook and its resolved hosts into batches, per-host steps and estimates. Stateless. */
public final class Planner {
    public Plan plan(Runbook runbook, List<Host> hosts, PlanOptions options) {
        List<List<Host>> groups = Batches.split(hosts, runbook.strategy().serial());
        List<HostBatch> batches = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            batches.add(new HostBatch(i + 1, groups.get(i)));
        }
        List<PlannedStep> steps = runbook.steps().stream().map(Planner::planned).toList();
        return new Plan(runbook.name(), batches, steps, estimate(runbook, batches, steps, options),
                runbook.triggers().stream().map(t -> TriggerPlans.planned(t, runbook)).toList());
    }

    private static PlannedStep planned(Step s) {
        return new PlannedStep(s.id(), s.title(), s.action().typeName(), s.action().summary(), s.when().isPresent(),
                s.runOn() == RunOn.CONTROLLER, s.sudo(), s.estimated());
    }

    private static Estimate estimate(Runbook runbook, List<HostBatch> batches, List<PlannedStep> steps, PlanOptions options) {
        Duration perHost = steps.stream().map(PlannedStep::estimate).reduce(Duration.ZERO, Duration::plus);
        Duration buffer = runbook.strategy().bufferPerHost();
        int hosts = batches.stream().mapToInt(b -> b.hosts().size()).sum();
        Duration work = perHost.plus(buffer).multipliedBy(hosts);
        List<Duration> batchWall = new ArrayList<>();
        for (HostBatch b : batches) {
            int waves = (b.hosts().size() + options.forks() - 1) / options.forks();
            batchWall.add(perHost.plus(buffer).multipliedBy(waves));
        }
        Duration wall = batchWall.stream().reduce(Duration.ZERO, Duration::plus);
        return new Estimate(perHost, buffer, work, wall, batchWall);
    }
}
