package dev.opsctl.app;

import dev.opsctl.engine.journal.HostState;
import dev.opsctl.engine.journal.RunState;
import dev.opsctl.runbook.model.Runbook;
import dev.opsctl.runbook.model.Step;
import java.util.List;
import java.util.Optional;

/**
 * Whether {@code runs rollback} may run a host's rollback again when the last one stopped in the middle
 * of a step (killed, timed out, or its connection lost), which may have run in part: as {@link ResumePlan}
 * does for a main step, only when that step is idempotent, the operator said {@code --rerun-interrupted},
 * or the prompter says yes. Otherwise it fails closed, before anything runs.
 */
final class RollbackRerun {
    private RollbackRerun() {}

    static void check(RunState state, Runbook rb, List<String> hosts, boolean rerunInterrupted, Prompter prompter)
            throws OpsctlException {
        check(state, rb, hosts, rerunInterrupted, prompter, host -> "'opsctl runs rollback " + state.runId() + " --host " + host
                + " --rerun-interrupted'");
    }

    /** {@code fix}: the command that runs host's rollback again once it was checked. */
    static void check(RunState state, Runbook rb, List<String> hosts, boolean rerunInterrupted, Prompter prompter,
            java.util.function.UnaryOperator<String> fix) throws OpsctlException {
        String runId = state.runId();
        for (String name : hosts) {
            HostState h = state.hosts().get(name);
            Optional<String> cut = h.rollbackCutShort();
            if (cut.isEmpty()) {
                continue;
            }
            String id = cut.get();
            boolean idempotent = rb.rollback().stream().filter(s -> s.id().equals(id)).findFirst().map(Step::idempotent).orElse(false);
            String how = ResumePlan.how(h, id);
            if (!idempotent && !rerunInterrupted && !prompter.confirm("rollback step '" + id + "' on host '" + name + "' " + how
                    + " in run " + runId + " and may be half done; run the rollback again?")) {
                throw OpsctlException.refused("host '" + name + "': rollback step '" + id + "' " + how + " in run " + runId
                        + " and is not idempotent\n  fix: check the host, then " + fix.apply(name));
            }
        }
    }
}
