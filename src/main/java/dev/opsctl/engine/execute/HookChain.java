package dev.opsctl.engine.execute;

import dev.opsctl.action.StepResult;
import dev.opsctl.runbook.model.Step;
import java.util.List;

/** Several hooks as one: asked in order, the first verdict that stops the host wins and later hooks are not asked. */
final class HookChain implements HostHooks {
    @FunctionalInterface
    private interface Ask {
        HookVerdict ask(HostHooks h) throws InterruptedException;
    }

    private final List<HostHooks> hooks;

    HookChain(List<HostHooks> hooks) {
        this.hooks = List.copyOf(hooks);
    }

    private HookVerdict first(Ask ask) throws InterruptedException {
        for (HostHooks h : hooks) {
            HookVerdict v = ask.ask(h);
            if (!v.proceed()) {
                return v;
            }
        }
        return HookVerdict.CONTINUE;
    }

    @Override
    public HookVerdict beforeRun(String runId) throws InterruptedException {
        return first(h -> h.beforeRun(runId));
    }

    @Override
    public HookVerdict beforeHost(HostRun host) throws InterruptedException {
        return first(h -> h.beforeHost(host));
    }

    @Override
    public HookVerdict afterStep(HostRun host, Step step, StepResult result) throws InterruptedException {
        return first(h -> h.afterStep(host, step, result));
    }

    @Override
    public HookVerdict resumedAfter(HostRun host, Step step) throws InterruptedException {
        return first(h -> h.resumedAfter(host, step));
    }

    @Override
    public HookVerdict whileWatching(HostRun host, Step step) throws InterruptedException {
        return first(h -> h.whileWatching(host, step));
    }

    @Override
    public HookVerdict settle(HostRun host) throws InterruptedException {
        return first(h -> h.settle(host));
    }

    @Override
    public HookVerdict afterHost(HostRun host, String status) throws InterruptedException {
        return first(h -> h.afterHost(host, status));
    }

    @Override
    public HookVerdict afterRun(String runId) throws InterruptedException {
        return first(h -> h.afterRun(runId));
    }
}
