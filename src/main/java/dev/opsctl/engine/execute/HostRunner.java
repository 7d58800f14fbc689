package dev.opsctl.engine.execute;

import dev.opsctl.action.StepResult.Outcome;
import dev.opsctl.engine.strategy.MaintenanceWindow;
import dev.opsctl.event.EventSink;
import dev.opsctl.event.RunEvent;
import dev.opsctl.inventory.Host;
import dev.opsctl.runbook.model.RunOn;
import dev.opsctl.runbook.model.Step;
import dev.opsctl.target.Target;
import dev.opsctl.target.TargetException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** One host's steps, in order, on the host's own thread. Stops at the first failure not ignored. */
final class HostRunner {
    private final RunInput in;
    private final TargetProvider targets;
    private final EventSink events;
    private final HostHooks hooks;
    private final Clock clock;
    private final StepRunner steps;
    private final Rollout rollout;
    private final Optional<MaintenanceWindow> window;
    private final Map<String, Object> runVars;
    private final UnaryOperator<String> mask;

    HostRunner(RunInput in, TargetProvider targets, EventSink events, HostHooks hooks, Clock clock, StepRunner steps,
            Rollout rollout, Optional<MaintenanceWindow> window, Map<String, Object> runVars, UnaryOperator<String> mask) {
        this.in = in;
        this.targets = targets;
        this.events = events;
        this.hooks = hooks;
        this.clock = clock;
        this.steps = steps;
        this.rollout = rollout;
        this.window = window;
        this.runVars = runVars;
        this.mask = mask;
    }

    void run(Host host) {
        RunOptions o = in.options();
        if (o.stop().requested() || rollout.halted()) {
            return;
        }
        HostResume resume = in.resumeOf(host.name());
        if (resume.done()) {
            rollout.hostDone(host.name(), "ok", Optional.empty());
            return;
        }
        Instant now = clock.instant();
        if (window.isPresent() && !o.ignoreWindow() && !window.get().contains(now)) {
            String why = "host '" + host.name() + "' not started: " + window.get().refusal(now);
            rollout.halt(why);
            notice("error", host.name(), why);
            return;
        }
        o.stop().enter();
        try {
            runStarted(host, resume);
        } finally {
            o.stop().exit();
            Thread.interrupted(); // a late Ctrl-C interrupt must not leak into the pool's next host
        }
    }

    private void runStarted(Host host, HostResume resume) {
        HostScope scope = new HostScope(in.params(), runVars, in.options().env(), host);
        Target target;
        try {
            target = targets.open(host);
        } catch (TargetException e) {
            events.accept(new RunEvent.HostStarted(in.options().runId(), clock.instant(), host.name(), host.address()));
            finish(host, e.unreachable() ? "unreachable" : "failed", mask.apply(e.getMessage()), true);
            return;
        }
        Optional<Target> controller = Optional.empty();
        try {
            events.accept(new RunEvent.HostStarted(in.options().runId(), clock.instant(), host.name(), target.describe()));
            String status = "ok";
            String message = "";
            boolean failure = false;
            HookVerdict before = hooks.beforeHost(new HostRun(in.options().runId(), host, target, scope.variables()));
            if (!before.proceed()) {
                apply(before);
                finish(host, before.hostStatus(), before.reason(), true);
                return;
            }
            for (Step step : in.runbook().steps()) {
                Map<String, Object> done = resume.completed().get(step.id());
                if (done != null) {
                    scope.record(step, done);
                    continue;
                }
                if (in.options().stop().requested()) {
                    status = "interrupted";
                    message = "interrupted before step '" + step.id() + "'";
                    break;
                }
                if (rollout.halted()) {
                    status = "halted";
                    message = "halted before step '" + step.id() + "': " + rollout.haltReason().orElse("");
                    break;
                }
                Target where = target;
                if (step.runOn() == RunOn.CONTROLLER) {
                    if (controller.isEmpty()) {
                        controller = Optional.of(targets.controller(host));
                    }
                    where = controller.get();
                }
                StepRunner.StepRun run = steps.run(host, step, where, scope.variables(step));
                if (run.interrupted()) {
                    status = "interrupted";
                    message = "step '" + step.id() + "' was interrupted";
                    break;
                }
                scope.record(step, run.result().fields());
                HookVerdict v = hooks.afterStep(new HostRun(in.options().runId(), host, target, scope.variables()), step,
                        run.result());
                if (!v.proceed()) {
                    apply(v);
                    status = v.hostStatus();
                    message = v.reason();
                    failure = true;
                    break;
                }
                if (!run.result().succeeded() && !run.ignored()) {
                    status = run.result().outcome() == Outcome.UNREACHABLE ? "unreachable" : "failed";
                    message = "step '" + step.id() + "' " + (status.equals("unreachable") ? "could not reach the host"
                            : run.result().outcome() == Outcome.TIMED_OUT ? "timed out" : "failed") + ": "
                            + mask.apply(run.result().message());
                    failure = true;
                    break;
                }
            }
            if (status.equals("ok")) {
                HookVerdict after = hooks.afterHost(new HostRun(in.options().runId(), host, target, scope.variables()), status);
                if (!after.proceed()) {
                    apply(after);
                    status = after.hostStatus();
                    message = after.reason();
                    failure = true;
                }
            }
            finish(host, status, message, failure);
        } catch (TargetException e) {
            finish(host, e.unreachable() ? "unreachable" : "failed", mask.apply(e.getMessage()), true);
        } catch (InterruptedException e) {
            finish(host, "interrupted", "interrupted", false);
        } finally {
            target.close();
            controller.ifPresent(Target::close);
        }
    }

    private void apply(HookVerdict v) {
        rollout.hookExit(v.exitCode());
        if (v.haltRollout()) {
            rollout.halt(v.reason());
        }
    }

    private void finish(Host host, String status, String message, boolean failure) {
        // counted before it is announced, so no other host starts a step after seeing this host fail
        rollout.hostDone(host.name(), status, failure ? Optional.of("host '" + host.name() + "': " + message) : Optional.empty());
        events.accept(new RunEvent.HostFinished(in.options().runId(), clock.instant(), host.name(), status, message));
    }

    private void notice(String level, String host, String message) {
        events.accept(new RunEvent.Notice(in.options().runId(), clock.instant(), level, host, message));
    }
}
