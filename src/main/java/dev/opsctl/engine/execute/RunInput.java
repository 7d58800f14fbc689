package dev.opsctl.engine.execute;

import dev.opsctl.engine.plan.HostBatch;
import dev.opsctl.runbook.model.Runbook;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a run executes: the runbook, its batches, typed params (secrets as
 * {@link dev.opsctl.source.Secret}), options and, for a resume, what each host already did and whether
 * the run owes a {@code rollback-all} ({@code rollbackAll}), which it then finishes instead of going on.
 */
public record RunInput(Runbook runbook, List<HostBatch> batches, Map<String, Object> params, RunOptions options,
        Map<String, HostResume> resume, Optional<OwedRollbackAll> rollbackAll) {
    public RunInput {
        batches = List.copyOf(batches);
        params = Map.copyOf(params);
        resume = Map.copyOf(resume);
    }

    public RunInput(Runbook runbook, List<HostBatch> batches, Map<String, Object> params, RunOptions options,
            Map<String, HostResume> resume) {
        this(runbook, batches, params, options, resume, Optional.empty());
    }

    public HostResume resumeOf(String host) {
        return resume.getOrDefault(host, HostResume.FRESH);
    }
}
