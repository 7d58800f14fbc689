package dev.opsctl.app;

import dev.opsctl.engine.execute.HostResume;
import dev.opsctl.engine.journal.HostState;
import dev.opsctl.engine.journal.RunState;
import dev.opsctl.engine.journal.StepRecord;
import dev.opsctl.runbook.model.Runbook;
import dev.opsctl.runbook.model.Step;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, from a run's journal, what a resume does per host: hosts finished ok are left alone,
 * completed steps are restored, and a step cut short (interrupted, timed out, or its connection lost
 * while it ran) is rerun only when it is idempotent, the
 * operator said {@code --rerun-interrupted}, or the prompter says yes. Otherwise it fails closed. A step
 * that could not reach its host ({@code unreachable}) ran nothing there and is rerun as a failed one is.
 * Hosts a trigger rolled back are left alone with their status; a host whose rollback failed or was
 * cut short is left for {@code opsctl runs rollback}. A trigger that fired and was never acted on
 * (opsctl stopped before its rollback started) is acted on before anything else runs on that host.
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
                    done.put(r.step(), r.restored());
                }
            }
            Optional<String> cutShort = cutShort(h);
            if (cutShort.isPresent()) {
                String id = cutShort.get();
                String how = how(h, id);
                // a step the runbook no longer has cannot say it is idempotent: ask (runs resume --force got here)
                boolean idempotent = rb.step(id).map(Step::idempotent).orElse(false);
                if (!idempotent && !req.rerunInterrupted() && !prompter.confirm("step '" + id + "' on host '" + h.host()
                        + "' " + how + " in run " + state.runId() + " and may be half done; run it again?")) {
                    throw OpsctlException.refused("host '" + h.host() + "': step '" + id + "' " + how + " in run "
                            + state.runId() + " and is not idempotent\n  fix: check the host, then rerun with 'opsctl runs resume "
                            + state.runId() + " --rerun-interrupted'");
                }
            }
            out.put(h.host(), new HostResume(false, done, "ok", h.pendingTrigger()));
        }
        return out;
    }

    /**
     * The step the host stopped in the middle of: interrupted, or ended by a timeout (its command
     * killed) or a lost connection, after which its command may have run in part.
     */
    private static Optional<String> cutShort(HostState h) {
        if (h.interruptedStep().isPresent()) {
            return h.interruptedStep();
        }
        return h.steps().values().stream().filter(r -> !r.completed() && CUT_SHORT.contains(r.outcome())).map(StepRecord::step)
                .reduce((first, last) -> last);
    }

    /** How step {@code id} (a main or rollback step) was cut short, for a question or a refusal. */
    static String how(HostState h, String id) {
        return switch (h.interruptedStep().isPresent() ? "interrupted" : h.steps().get(id).outcome()) {
            case "timed_out" -> "timed out (its command was killed)";
            case "connection_lost" -> "lost its connection while its command ran (it may have run in part, or still be running)";
            default -> "was interrupted";
        };
    }

    private static final Set<String> CUT_SHORT = Set.of("timed_out", "connection_lost");
}
