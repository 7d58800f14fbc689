package dev.opsctl.engine.journal;

import java.util.Optional;

/** Another live run of this runbook holds the lock of one of these hosts. */
public final class RunLockedException extends Exception {
    private final transient Optional<RunLock.Holder> holder;

    RunLockedException(String runbook, String host, Optional<RunLock.Holder> holder) {
        super("runbook '" + runbook + "' is already running on host '" + host + "': " + holder.map(h -> "run " + h.runId()
                + " (pid " + h.pid() + ", operator " + h.operator() + ", since " + h.started() + ")")
                .orElse("by a run that is just starting; try again in a moment"));
        this.holder = holder;
    }

    public Optional<RunLock.Holder> holder() {
        return holder;
    }
}
