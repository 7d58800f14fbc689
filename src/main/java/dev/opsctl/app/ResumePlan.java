package dev.opsctl.app;

import dev.opsctl.engine.execute.HostResume;
import dev.opsctl.engine.journal.HostState;
import dev.opsctl.engine.journal.RunState;
import dev.opsctl.engine.journal.StepRecord;
import dev.opsctl.runbook.model.Runbook;
import dev.opsctl.runbook.model.Step;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decides, from a run's journal, what a resume does per host: hosts finished ok are left alone,
 * completed steps are restored, and an interrupted step is rerun only when it is idempotent, the
 * operator said {@code --rerun-interrupted}, or the prompter says yes. Otherwise it fails closed.
 * Hosts a trigger rolled back are left alone with their status; a host whose rollback failed or was
 * cut short is left for {@code opsctl runs rollback}.
 */
final class ResumePlan {
    private ResumePlan() {}

    static Map<String, HostResume> of(RunState state, Runbook rb, ResumeRequest req, Prompter prompter) throws OpsctlException {
        Map<String, HostResume> out = new LinkedHashMap<>();
        for (HostState h : state.hosts().values()) {
            if (h.finishedOk()) {
                out.put(h.host(), new HostResume(true, Map.of()));
                continue;
            }
            if (h.rollback().isPresent()) {
                // a rollback already ran (or was cut short): never run it, or the forward steps, again
                boolean rolledBack = h.rollback().get().equals("succeeded");
                out.put(h.host(), new HostResume(true, Map.of(), rolledBack ? "rolled_back" : "rollback_failed"));
                continue;
            }
            Map<String, Map<String, Object>> done = new LinkedHashMap<>();
            for (StepRecord r : h.steps().values()) {
                if (h.completed(r.step())) {
                    done.put(r.step(), r.result());
                }
            }
            if (h.interruptedStep().isPresent()) {
                String id = h.interruptedStep().get();
                boolean idempotent = rb.step(id).map(Step::idempotent).orElse(true);
                if (!idempotent && !req.rerunInterrupted() && !prompter.confirm("step '" + id + "' on host '" + h.host()
                        + "' was interrupted in run " + state.runId() + " and may be half done; run it again?")) {
                    throw OpsctlException.refused("host '" + h.host() + "': step '" + id + "' was interrupted in run "
                            + state.runId() + " and is not idempotent\n  fix: check the host, then rerun with 'opsctl runs resume "
                            + state.runId() + " --rerun-interrupted'");
                }
            }
            out.put(h.host(), new HostResume(false, done));
        }
        return out;
    }
}
