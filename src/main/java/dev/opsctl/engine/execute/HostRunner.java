package dev.opsctl.engine.execute;

import dev.opsctl.action.StepResult.Outcome;
import dev.opsctl.engine.journal.PendingTrigger;
import dev.opsctl.engine.strategy.MaintenanceWindow;
import dev.opsctl.engine.strategy.OutOfService;
import dev.opsctl.event.EventSink;
import dev.opsctl.event.RunEvent;
import dev.opsctl.inventory.Host;
import dev.opsctl.runbook.model.RunOn;
import dev.opsctl.runbook.model.Step;
import dev.opsctl.runbook.model.Trigger;
import dev.opsctl.runbook.model.TriggerAction;
import dev.opsctl.target.Target;
import dev.opsctl.target.TargetException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * One host's steps, in order, on the host's own thread. Stops at the first failure not ignored. Every
 * hook verdict (gate, trigger, a trigger fired during a watch) goes through {@link VerdictPoint}, the
 * single place where verdicts are acted on.
 */
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
    private final VerdictPoint verdicts;
    private final OutOfService outOfService;
    /** How often a step's pauses sample the probe triggers: the shortest trigger interval; empty without probe triggers. */
    private final Optional<java.time.Duration> probeEvery;

    HostRunner(RunInput in, TargetProvider targets, EventSink events, HostHooks hooks, Clock clock, StepRunner steps,
            Rollout rollout, Optional<MaintenanceWindow> window, Map<String, Object> runVars, UnaryOperator<String> mask,
            VerdictPoint verdicts, OutOfService outOfService) {
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
        this.verdicts = verdicts;
        this.outOfService = outOfService;
        this.probeEvery = in.runbook().triggers().stream().filter(t -> t.probe().isPresent())
                .map(dev.opsctl.runbook.model.Trigger::interval).min(java.time.Duration::compareTo);
    }

    /** A host's scope as it was left: variables plus the results of the steps it completed. */
    HostScope scope(Host host, HostResume resume) {
        HostScope scope = new HostScope(in.params(), runVars, in.options().env(), host);
        restore(scope, resume);
        return scope;
    }

    private void restore(HostScope scope, HostResume resume) {
        for (Step step : in.runbook().steps()) {
            Map<String, Object> done = resume.completed().get(step.id());
            if (done != null) {
                scope.record(step, done);
            }
        }
    }

    void run(Host host) {
        RunOptions o = in.options();
        if (o.stop().requested() || rollout.halted()) {
            return;
        }
        HostResume resume = in.resumeOf(host.name());
        if (resume.done()) {
            carriedOver(host, resume);
            return;
        }
        Instant now = clock.instant();
        if (window.isPresent() && !o.ignoreWindow() && !window.get().contains(now)) {
            // a rollback a trigger decided before opsctl stopped is owed, window or not
            if (resume.completed().isEmpty() && resume.pendingTrigger().isEmpty()) {
                String why = "host '" + host.name() + "' not started: " + window.get().refusal(now);
                rollout.halt(why);
                notice("error", host.name(), why);
                return;
            }
            // the window keeps hosts from starting; one left half changed is safer finished than abandoned
            notice("warning", host.name(), "host '" + host.name() + "' is finished although it is "
                    + window.get().refusal(now).replaceFirst(";.*", "") + ": the run stopped half way through it");
        }
        o.stop().enter();
        try {
            runStarted(host, resume);
        } finally {
            o.stop().exit();
            Thread.interrupted(); // a late Ctrl-C interrupt must not leak into the pool's next host
        }
    }

    /**
     * A host of a resume that owes {@code rollback-all}: it runs nothing. {@code due}: it ran and is not
     * rolled back yet, so the rollback of every host takes it; otherwise it keeps its journaled end.
     */
    void settle(Host host, boolean due) {
        HostResume resume = in.resumeOf(host.name());
        if (due) {
            rollout.hostDone(host.name(), resume.doneStatus(), Optional.empty());
        } else if (resume.done()) {
            carriedOver(host, resume);
        }
    }

    /**
     * A host a resumed run left alone: finished ok, or rolled back (its rollback is never run again), or
     * (a resume finishing a rollback-all) halted where a command may still run, so not rolled back.
     */
    private void carriedOver(Host host, HostResume resume) {
        String status = resume.doneStatus();
        Optional<String> failure = Optional.empty();
        String rollback = "'opsctl runs rollback " + in.options().runId() + " --host " + host.name() + "'";
        if (status.equals("rolled_back")) {
            rollout.hookExit(dev.opsctl.engine.ExitCodes.ROLLED_BACK);
        } else if (status.equals("rollback_failed")) {
            rollout.hookExit(dev.opsctl.engine.ExitCodes.ROLLBACK_FAILED);
            failure = Optional.of("host '" + host.name() + "': its rollback failed or was cut short in an earlier attempt; check it, then "
                    + rollback);
        } else if (status.equals("halted")) {
            rollout.hookExit(dev.opsctl.engine.ExitCodes.HUMAN_MUST_ACT);
            failure = Optional.of("host '" + host.name() + "': a step's command may still be running there, so it was not rolled back "
                    + "with the other hosts; check it, then " + rollback);
        }
        rollout.hostDone(host.name(), status, failure);
        if (status.equals("ok")) {
            rollout.ran(host, scope(host, resume), status);
        }
    }

    /** The host while it runs: its target, its scope, and the controller target opened on first use. */
    private final class Session {
        final Host host;
        final Target target;
        final HostScope scope;
        Optional<Target> controller = Optional.empty();
        /** A step ran on the host (now or before a resume): it may have changed, so it can be rolled back. */
        boolean touched;
        /** A step's command may still be running there (its connection broke): nothing may roll it back beside it. */
        boolean leftRunning;

        Session(Host host, Target target, HostScope scope) {
            this.host = host;
            this.target = target;
            this.scope = scope;
        }

        HostRun view() {
            return new HostRun(in.options().runId(), host, target, scope.variables(),
                    (probe, timeout) -> steps.probe(host, probe, target, scope.variables(), timeout));
        }

        Target targetFor(Step step) throws TargetException {
            if (step.runOn() != RunOn.CONTROLLER) {
                return target;
            }
            if (controller.isEmpty()) {
                controller = Optional.of(targets.controller(host));
            }
            return controller.get();
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
        Session s = new Session(host, target, scope);
        boolean holding = false;
        VerdictPoint.Applied end = VerdictPoint.Applied.stop("interrupted", "interrupted", false);
        try {
            events.accept(new RunEvent.HostStarted(in.options().runId(), clock.instant(), host.name(), target.describe()));
            if (resume.pendingTrigger().isPresent()) {
                restore(scope, resume);
                s.touched = !resume.completed().isEmpty();
                VerdictPoint.Applied carried = verdicts.carryOut(host, fired(resume.pendingTrigger().get()), scope, target);
                if (!carried.proceed()) {
                    end = carried;
                    return;
                }
            }
            VerdictPoint.Applied before = verdicts.apply(host, hooks.beforeHost(s.view()), scope, target);
            if (!before.proceed()) {
                end = before;
                return;
            }
            Optional<String> refused = outOfService.enter(host.name(), why -> notice("info", host.name(), why));
            if (refused.isPresent()) {
                rollout.halt(refused.get());
                notice("error", host.name(), refused.get());
                end = VerdictPoint.Applied.stop("not_started", refused.get(), false);
                return;
            }
            holding = true;
            // a trigger carried out above already judged the host where the earlier process left it
            end = steps(s, resume, resume.pendingTrigger().isEmpty());
            if (end.proceed()) {
                end = verdicts.apply(host, hooks.settle(s.view()), scope, target);
            }
            if (end.proceed()) {
                VerdictPoint.Applied after = verdicts.apply(host, hooks.afterHost(s.view(), "ok"), scope, target);
                end = after.proceed() ? new VerdictPoint.Applied(false, false, "ok", "", false, true) : after;
            }
        } catch (TargetException e) {
            end = VerdictPoint.Applied.stop(e.unreachable() ? "unreachable" : "failed", mask.apply(e.getMessage()), true);
        } catch (InterruptedException e) {
            end = VerdictPoint.Applied.stop("interrupted", "interrupted", false);
        } finally {
            target.close();
            s.controller.ifPresent(Target::close);
            finish(host, end.status(), end.message(), end.failure());
            if (holding) {
                outOfService.leave(host.name(), end.backInService() || !s.touched);
            }
            if (s.touched && !s.leftRunning && !end.status().equals("rolled_back") && !end.status().equals("rollback_failed")) {
                rollout.ran(host, scope, end.status());
            }
        }
    }

    /** A journaled firing as the runbook's trigger of that name would fire now (one a forced resume lost: as journaled). */
    private HookVerdict.Fired fired(PendingTrigger p) {
        Optional<Trigger> t = in.runbook().triggers().stream().filter(x -> x.name().equals(p.trigger())).findFirst();
        TriggerAction action = TriggerAction.ofYamlName(p.action()).orElse(TriggerAction.ROLLBACK);
        return new HookVerdict.Fired(p.trigger(), action, p.evidence(), Map.of(), t.flatMap(Trigger::askTimeout),
                t.map(Trigger::onAskTimeout).orElse(TriggerAction.ROLLBACK));
    }

    /**
     * The step loop; proceeds when every step finished ok (or was ignored). {@code judgeRestored}: sample the
     * probe triggers after the last step an earlier process finished, before going on from it.
     */
    private VerdictPoint.Applied steps(Session s, HostResume resume, boolean judgeRestored)
            throws InterruptedException, TargetException {
        Optional<Step> restored = Optional.empty();
        for (Step step : in.runbook().steps()) {
            Map<String, Object> done = resume.completed().get(step.id());
            if (done != null) {
                s.scope.record(step, done);
                s.touched = true;
                restored = Optional.of(step);
                continue;
            }
            VerdictPoint.Applied judged = judge(s, restored.filter(r -> judgeRestored));
            restored = Optional.empty();
            if (!judged.proceed()) {
                return judged;
            }
            if (in.options().stop().requested()) {
                return VerdictPoint.Applied.stop("interrupted", "interrupted before step '" + step.id() + "'", false);
            }
            if (rollout.halted()) {
                return VerdictPoint.Applied.stop(s.touched ? "halted" : "not_started", "halted before step '" + step.id() + "': "
                        + rollout.haltReason().orElse(""), false);
            }
            StepWatch watch = new StepWatch(() -> hooks.whileWatching(s.view(), step), v -> verdicts.report(s.host, v),
                    in.options().dryRunTriggers(), probeEvery);
            s.touched = true;
            StepRunner.StepRun run = steps.run(s.host, step, s.targetFor(step), s.scope.variables(step), watch);
            if (run.interrupted()) {
                return VerdictPoint.Applied.stop("interrupted", "step '" + step.id() + "' was interrupted", false);
            }
            s.scope.record(step, run.result().fields());
            // a verdict recorded during the step (a watch) is the host's intent; otherwise the hooks judge the result
            HookVerdict v = watch.fired().isPresent() ? watch.fired().get() : hooks.afterStep(s.view(), step, run.result());
            if (run.mayStillRun()) {
                s.leftRunning = true;
                return verdicts.leftRunning(s.host, step.id(), run.result().outcome() == Outcome.CONNECTION_LOST, v,
                        mask.apply(run.result().message()));
            }
            VerdictPoint.Applied a = verdicts.apply(s.host, v, s.scope, s.target);
            if (!a.proceed()) {
                return a;
            }
            boolean overriddenWatch = a.continued() && watch.fired().isPresent();
            if (!run.result().succeeded() && !run.ignored() && !overriddenWatch) {
                String status = run.result().outcome() == Outcome.UNREACHABLE ? "unreachable" : "failed";
                return VerdictPoint.Applied.stop(status, "step '" + step.id() + "' " + ended(run.result().outcome(), step.action().reachesCluster())
                        + ": " + mask.apply(run.result().message()), true);
            }
        }
        return judge(s, restored.filter(r -> judgeRestored));
    }

    private VerdictPoint.Applied judge(Session s, Optional<Step> restored) throws InterruptedException {
        if (restored.isEmpty()) {
            return VerdictPoint.Applied.GO_ON;
        }
        return verdicts.apply(s.host, hooks.resumedAfter(s.view(), restored.get()), s.scope, s.target);
    }

    /** {@code cluster}: the step works on a cluster's API server, not on its host. */
    private static String ended(Outcome o, boolean cluster) {
        return switch (o) {
            case UNREACHABLE -> cluster ? "could not reach the cluster" : "could not reach the host";
            case CONNECTION_LOST -> cluster ? "lost its connection to the API server" : "lost its connection to the host";
            case TIMED_OUT -> "timed out";
            default -> "failed";
        };
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
