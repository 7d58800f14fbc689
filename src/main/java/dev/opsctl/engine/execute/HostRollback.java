package dev.opsctl.engine.execute;

import dev.opsctl.engine.rollback.RollbackResult;
import dev.opsctl.engine.rollback.RollbackSteps;
import dev.opsctl.event.EventSink;
import dev.opsctl.event.RunEvent;
import dev.opsctl.inventory.Host;
import dev.opsctl.runbook.model.RunOn;
import dev.opsctl.target.Target;
import dev.opsctl.target.TargetException;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Runs the runbook's rollback steps for one host, with the host's scope (the forward steps' results and
 * registers readable, e.g. {@code restore: {from: backup-config}}), through the ordinary step runner,
 * between rollback-started and rollback-finished events. Thread-safe (each call is confined to its host).
 */
final class HostRollback {
    private final RunInput in;
    private final TargetProvider targets;
    private final EventSink events;
    private final Clock clock;
    private final StepRunner steps;
    private final UnaryOperator<String> mask;

    HostRollback(RunInput in, TargetProvider targets, EventSink events, Clock clock, StepRunner steps, UnaryOperator<String> mask) {
        this.in = in;
        this.targets = targets;
        this.events = events;
        this.clock = clock;
        this.steps = steps;
        this.mask = mask;
    }

    /** On a host whose target is open (the host that a trigger fired on). */
    RollbackResult run(Host host, HostScope scope, Target target, String reason) throws InterruptedException {
        return run(host, scope, target, reason, Set.of());
    }

    /** {@code done}: rollback steps an earlier process completed in this rollback before it stopped: not run again. */
    private RollbackResult run(Host host, HostScope scope, Target target, String reason, Set<String> done) throws InterruptedException {
        String runId = in.options().runId();
        events.accept(new RunEvent.RollbackStarted(runId, clock.instant(), host.name(), mask.apply(reason)));
        Target[] ctl = new Target[1];
        RollbackResult result;
        try {
            result = RollbackSteps.run(in.runbook().rollback(), step -> {
                if (done.contains(step.id())) {
                    events.accept(new RunEvent.Notice(runId, clock.instant(), "info", host.name(), "rollback step '" + step.id()
                            + "' on host '" + host.name() + "' finished before opsctl stopped: not run again"));
                    return new RollbackSteps.Ran(true, false, "");
                }
                Target where = target;
                if (step.runOn() == RunOn.CONTROLLER) {
                    if (ctl[0] == null) {
                        try {
                            ctl[0] = targets.controller(host);
                        } catch (TargetException e) {
                            return new RollbackSteps.Ran(false, false, mask.apply(e.getMessage()));
                        }
                    }
                    where = ctl[0];
                }
                StepRunner.StepRun run = steps.run(host, step, where, scope.variables(step));
                scope.record(step, run.result().fields());
                return new RollbackSteps.Ran(run.result().succeeded() || run.ignored(), run.interrupted(),
                        mask.apply(run.result().message()));
            });
        } finally {
            if (ctl[0] != null) {
                ctl[0].close();
            }
        }
        events.accept(new RunEvent.RollbackFinished(runId, clock.instant(), host.name(), result.succeeded(), mask.apply(result.message())));
        return result;
    }

    /** On a host whose own run is over (rollback-all, {@code runs rollback}): opens its target again. */
    RollbackResult reopen(Host host, HostScope scope, String reason) throws InterruptedException {
        return reopen(host, scope, reason, Set.of());
    }

    /** {@code done}: as for {@link #run}, when a resume finishes a rollback opsctl stopped in the middle of. */
    RollbackResult reopen(Host host, HostScope scope, String reason, Set<String> done) throws InterruptedException {
        Target target;
        try {
            target = targets.open(host);
        } catch (TargetException e) {
            String runId = in.options().runId();
            events.accept(new RunEvent.RollbackStarted(runId, clock.instant(), host.name(), mask.apply(reason)));
            RollbackResult r = new RollbackResult(RollbackResult.Status.FAILED, Optional.empty(),
                    "cannot reach the host to roll it back: " + mask.apply(e.getMessage()));
            events.accept(new RunEvent.RollbackFinished(runId, clock.instant(), host.name(), false, r.message()));
            return r;
        }
        try {
            return run(host, scope, target, reason, done);
        } finally {
            target.close();
        }
    }
}
