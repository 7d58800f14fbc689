package dev.opsctl.engine.execute;

import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.journal.JournalReader;
import dev.opsctl.event.EventSink;
import dev.opsctl.event.RunEvent;
import dev.opsctl.inventory.Host;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run's {@code rollback-all}, once a trigger asked for it: every other host that ran is rolled back
 * when no host runs any more; and a resume that owes one (opsctl stopped before it was done) finishes it
 * instead of going on. On the engine's thread.
 */
final class RollbackAll {
    private final EventSink events;
    private final Clock clock;
    private final RunInput in;
    private final RunOptions o;

    RollbackAll(EventSink events, Clock clock, RunInput in) {
        this.events = events;
        this.clock = clock;
        this.in = in;
        this.o = in.options();
    }

    /**
     * A resume that owes {@code rollback-all}: no host runs a step (nor a gate); each keeps the end the
     * journal gave it, and the hosts not rolled back yet go to {@link #run} in the order the dead
     * run would have taken.
     */
    void settle(OwedRollbackAll owed, Rollout rollout, HostRunner hosts) {
        Map<String, Host> byName = new LinkedHashMap<>();
        in.batches().forEach(b -> b.hosts().forEach(h -> byName.put(h.name(), h)));
        byName.values().forEach(h -> hosts.settle(h, owed.hosts().contains(h.name())));
        List<String> earliestFirst = new ArrayList<>(owed.hosts());
        java.util.Collections.reverse(earliestFirst);
        for (String name : earliestFirst) {
            Host h = byName.get(name);
            if (h != null) {
                rollout.ran(h, hosts.scope(h, in.resumeOf(name)), in.resumeOf(name).doneStatus());
            }
        }
        rollout.requestRollbackAll(owed.reason());
        rollout.halt("rollback-all after " + owed.reason() + ": opsctl stopped before every host that ran was rolled back; "
                + "finishing that, no host goes on with its steps");
        events.accept(new RunEvent.Notice(o.runId(), clock.instant(), "info", "", owed.hosts().isEmpty()
                ? "every host that ran is rolled back already"
                : "rolling back the " + (owed.hosts().size() == 1 ? "host" : owed.hosts().size() + " hosts")
                        + " not rolled back yet, in this order: " + String.join(", ", owed.hosts())));
    }

    /**
     * {@code rollback-all}: once no host runs any more, every other host that ran is rolled back, latest
     * finished first, on this thread. These rollbacks never wait for {@code max_out_of_service}: a
     * rollback must not be blocked by the budget it restores.
     */
    void run(Rollout rollout, HostRollback rollbacks) throws InterruptedException {
        String reason = rollout.rollbackAll().orElse("");
        o.stop().enter();
        try {
            for (Rollout.Finished f : rollout.finishedLatestFirst()) {
                if (o.stop().requested()) {
                    break;
                }
                var r = rollbacks.reopen(f.host(), f.scope(), JournalReader.ROLLBACK_ALL + reason,
                        in.resumeOf(f.host().name()).rollbackCompleted());
                String message = r.succeeded() ? "rolled back (rollback-all) after " + reason : r.message() + " (rollback-all)";
                rollout.hookExit(r.succeeded() ? ExitCodes.ROLLED_BACK : ExitCodes.ROLLBACK_FAILED);
                rollout.restatus(f.host().name(), r.hostStatus(), Optional.of("host '" + f.host().name() + "': " + message));
                events.accept(new RunEvent.HostFinished(o.runId(), clock.instant(), f.host().name(), r.hostStatus(), message));
            }
        } finally {
            o.stop().exit();
        }
    }
}
