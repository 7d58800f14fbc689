package dev.opsctl.engine.execute;

import dev.opsctl.action.StepResult;
import dev.opsctl.runbook.model.Step;
import java.util.List;

/**
 * Where gates and triggers plug into the host loop without changing it. Called on the host's
 * thread (several hosts at once: implementations must be thread-safe). Hooks decide; the loop
 * applies their verdict. A hook that needs to wait (an operator's answer) must honour interruption.
 * Several hooks combine with {@link #all}: the first that does not let the host proceed wins.
 */
public interface HostHooks {
    HostHooks NONE = new HostHooks() {};

    /** Before the first batch (a {@code before_run} gate). */
    default HookVerdict beforeRun(String runId) throws InterruptedException {
        return HookVerdict.CONTINUE;
    }

    /** Before a host's first step. */
    default HookVerdict beforeHost(HostRun host) throws InterruptedException {
        return HookVerdict.CONTINUE;
    }

    /** After every step that ran or was skipped (triggers watching step results and probes). */
    default HookVerdict afterStep(HostRun host, Step step, StepResult result) throws InterruptedException {
        return HookVerdict.CONTINUE;
    }

    /**
     * When a resumed host goes on after {@code step}, which an earlier process finished: that process may
     * have died before it judged the step (a health probe after a restart), so the probe triggers are
     * sampled once before the next step runs.
     */
    default HookVerdict resumedAfter(HostRun host, Step step) throws InterruptedException {
        return HookVerdict.CONTINUE;
    }

    /**
     * On every tick of a watching step ({@code monitor}) while it runs: probe triggers sampled. A verdict
     * that stops ends the watch; the loop applies it when the step has returned.
     */
    default HookVerdict whileWatching(HostRun host, Step step) throws InterruptedException {
        return HookVerdict.CONTINUE;
    }

    /**
     * After a host's last step finished ok, before it is judged: a trigger still pending then (its condition held, not yet
     * long enough) is watched until it fires or clears; a host is not finished ok while a trigger may still fire on it.
     */
    default HookVerdict settle(HostRun host) throws InterruptedException {
        return HookVerdict.CONTINUE;
    }

    /** After a host's last step, with the status it would finish with ({@code ok}, {@code failed}...). */
    default HookVerdict afterHost(HostRun host, String status) throws InterruptedException {
        return HookVerdict.CONTINUE;
    }

    /** After the last batch, when every host finished ok (an {@code after_run} gate). */
    default HookVerdict afterRun(String runId) throws InterruptedException {
        return HookVerdict.CONTINUE;
    }

    /** These hooks in order (gates, then triggers...); each method returns the first verdict that stops. */
    static HostHooks all(List<HostHooks> hooks) {
        return new HookChain(hooks);
    }
}
