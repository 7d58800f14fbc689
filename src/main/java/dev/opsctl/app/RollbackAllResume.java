package dev.opsctl.app;

import dev.opsctl.engine.execute.HostResume;
import dev.opsctl.engine.execute.OwedRollbackAll;
import dev.opsctl.engine.journal.HostState;
import dev.opsctl.engine.journal.RunState;
import dev.opsctl.engine.journal.StepRecord;
import dev.opsctl.runbook.model.Runbook;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a resume does when a trigger decided {@code rollback-all} before opsctl stopped (killed before,
 * or in the middle of, rolling every host back): it finishes that rollback and nothing else. No host goes
 * on with its steps; a host whose rollback succeeded is not rolled back again, one whose rollback failed
 * is left for {@code runs rollback}; every other host that ran is rolled back (a rollback opsctl stopped
 * in the middle of goes on after the rollback steps it completed; a step it cut short runs again only when
 * idempotent, after {@code --rerun-interrupted} or a yes). Left alone: hosts that never started, and a host halted where a step's command may still run
 * (the dead run did not roll it back either). Order: the hosts still running when opsctl stopped (the
 * firing host first), then the others latest finished first, as the dead run would have.
 */
final class RollbackAllResume {
    /** Each host's resume, and the hosts still to roll back in order. */
    record Plan(Map<String, HostResume> hosts, OwedRollbackAll owed) {}

    private RollbackAllResume() {}

    static Optional<Plan> of(RunState state, Runbook rb, ResumeRequest req, Prompter prompter) throws OpsctlException {
        if (state.rollbackAll().isEmpty()) {
            return Optional.empty();
        }
        Map<String, HostResume> out = new LinkedHashMap<>();
        List<String> due = new ArrayList<>();
        for (HostState h : state.hosts().values()) {
            Optional<String> rollback = h.rollback();
            if (rollback.filter("succeeded"::equals).isPresent()) {
                out.put(h.host(), new HostResume(true, Map.of(), "rolled_back"));
            } else if (rollback.filter("failed"::equals).isPresent()) {
                out.put(h.host(), new HostResume(true, Map.of(), "rollback_failed"));
            } else if (!h.started()) {
                out.put(h.host(), new HostResume(true, Map.of(), "not_started"));
            } else if (h.leftRunning()) {
                out.put(h.host(), new HostResume(true, Map.of(), "halted"));
            } else {
                // as 'runs rollback' does: the rollback reads every journaled result of the host
                Map<String, Map<String, Object>> results = new LinkedHashMap<>();
                for (StepRecord r : h.steps().values()) {
                    results.put(r.step(), r.restored());
                }
                // a rollback opsctl stopped in the middle of goes on after the steps it completed
                Set<String> rolledBack = rollback.isPresent() ? Set.copyOf(h.rollbackCompleted()) : Set.of();
                out.put(h.host(), new HostResume(true, results, h.status().orElse("interrupted"), Optional.empty(), rolledBack));
                due.add(h.host());
            }
        }
        RollbackRerun.check(state, rb, due, req.rerunInterrupted(), prompter,
                host -> "'opsctl runs resume " + state.runId() + " --rerun-interrupted'");
        return Optional.of(new Plan(out, new OwedRollbackAll(state.rollbackAll().get(), order(state, due))));
    }

    private static List<String> order(RunState state, List<String> due) {
        List<String> first = new ArrayList<>();
        List<String> running = new ArrayList<>();
        for (String name : due) {
            HostState h = state.hosts().get(name);
            if (h.status().isPresent()) {
                continue;
            }
            // the firing host: its own rollback came before every other host's
            (h.rollback().isPresent() || h.pendingTrigger().isPresent() ? first : running).add(name);
        }
        List<String> out = new ArrayList<>(first);
        out.addAll(running);
        List<String> finished = new ArrayList<>(state.finishOrder());
        java.util.Collections.reverse(finished);
        finished.stream().filter(due::contains).filter(n -> !out.contains(n)).forEach(out::add);
        due.stream().filter(n -> !out.contains(n)).forEach(out::add);
        return out;
    }
}
