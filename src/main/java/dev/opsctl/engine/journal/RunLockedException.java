package dev.opsctl.engine.journal;

import java.util.Optional;

/** Another live run holds one of the locks a run needs: a host's for this runbook, or the resumed run's own. */
public final class RunLockedException extends Exception {
    private final transient Optional<RunLock.Holder> holder;

    /** {@code namesRun}: {@code busy} already names the holder's run (a run's own lock), so the holder is not named again. */
    RunLockedException(String busy, boolean namesRun, Optional<RunLock.Holder> holder) {
        super(busy + ": " + holder.map(h -> (namesRun ? "by " : "run " + h.runId() + " ") + "(pid " + h.pid() + ", operator "
                + h.operator() + ", since " + h.started() + ")").orElse("by a run that is just starting; try again in a moment"));
        this.holder = holder;
    }

    public Optional<RunLock.Holder> holder() {
        return holder;
    }
}
