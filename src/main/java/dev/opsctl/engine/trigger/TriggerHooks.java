package dev.opsctl.engine.trigger;

import dev.opsctl.action.StepResult;
import dev.opsctl.engine.execute.HookVerdict;
import dev.opsctl.engine.execute.HostHooks;
import dev.opsctl.engine.execute.HostRun;
import dev.opsctl.engine.execute.Sleeper;
import dev.opsctl.event.EventSink;
import dev.opsctl.event.RunEvent;
import dev.opsctl.runbook.model.Step;
import dev.opsctl.runbook.model.Trigger;
import java.time.Clock;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A runbook's triggers as a host hook: asks the {@link TriggerEvaluator} after every step, on every
 * tick of a watching step, and after a host's last step until the triggers pending then fire or clear,
 * and turns its verdict into a {@link HookVerdict} for the host loop to apply. Notes (a trigger pending, a probe that could not be judged) become notices. One per run.
 */
public final class TriggerHooks implements HostHooks {
    private final TriggerEvaluator evaluator;
    private final boolean any;
    private final Clock clock;
    private final Sleeper sleeper;
    private final EventSink events;
    private final UnaryOperator<String> mask;

    public TriggerHooks(List<Trigger> triggers, Clock clock, Sleeper sleeper, EventSink events, UnaryOperator<String> mask) {
        this.evaluator = new TriggerEvaluator(triggers, clock);
        this.any = !triggers.isEmpty();
        this.clock = clock;
        this.sleeper = sleeper;
        this.events = events;
        this.mask = mask;
    }

    @Override
    public HookVerdict afterStep(HostRun host, Step step, StepResult result) throws InterruptedException {
        if (!any) {
            return HookVerdict.CONTINUE;
        }
        return verdict(host, evaluator.afterStep(host.host().name(), step, result, host.variables(), host.probes()::run));
    }

    @Override
    public HookVerdict resumedAfter(HostRun host, Step step) throws InterruptedException {
        if (!evaluator.hasProbes()) {
            return HookVerdict.CONTINUE;
        }
        return verdict(host, evaluator.afterResumedStep(host.host().name(), host.variables(), host.probes()::run));
    }

    @Override
    public HookVerdict whileWatching(HostRun host, Step step) throws InterruptedException {
        if (!evaluator.hasProbes()) {
            return HookVerdict.CONTINUE;
        }
        return verdict(host, evaluator.whileWatching(host.host().name(), host.variables(), host.probes()::run));
    }

    @Override
    public HookVerdict settle(HostRun host) throws InterruptedException {
        if (!evaluator.hasProbes()) {
            return HookVerdict.CONTINUE;
        }
        return verdict(host, evaluator.settle(host.host().name(), host.variables(), host.probes()::run, sleeper,
                note -> notice(host, note)));
    }

    private HookVerdict verdict(HostRun host, TriggerVerdict v) {
        if (v instanceof TriggerVerdict.Fire f) {
            Trigger t = f.trigger();
            return HookVerdict.fire(new HookVerdict.Fired(t.name(), t.then(), f.evidence(), f.values(), t.askTimeout(),
                    t.onAskTimeout()));
        }
        for (String note : ((TriggerVerdict.Ok) v).notes()) {
            notice(host, note);
        }
        return HookVerdict.CONTINUE;
    }

    private void notice(HostRun host, String note) {
        events.accept(new RunEvent.Notice(host.runId(), clock.instant(), "info", host.host().name(), mask.apply(note)));
    }
}
