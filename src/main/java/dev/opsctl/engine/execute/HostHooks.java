package dev.opsctl.engine.execute;

import dev.opsctl.action.StepResult;
import dev.opsctl.runbook.model.Step;

/**
 * Where gates and triggers plug into the host loop without changing it. Called on the host's
 * thread (several hosts at once: implementations must be thread-safe). Hooks decide; the loop
 * applies their verdict. A hook that needs to wait (an operator's answer) must honour interruption.
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

    /** After every step that ran or was skipped (triggers watching step results). */
    default HookVerdict afterStep(HostRun host, Step step, StepResult result) throws InterruptedException {
        return HookVerdict.CONTINUE;
    }

    /** After a host's last step, with the status it would finish with ({@code ok}, {@code failed}...). */
    default HookVerdict afterHost(HostRun host, String status) throws InterruptedException {
        return HookVerdict.CONTINUE;
    }
}
