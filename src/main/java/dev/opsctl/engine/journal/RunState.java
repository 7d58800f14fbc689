package dev.opsctl.engine.journal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A run rebuilt from its journal. {@code status}/{@code exitCode} come from the last
 * {@code run-finished} and are empty when the run never finished (killed). {@code tornTail}: the
 * last line was cut short (the process died mid-write) and was ignored. {@code passedGates}: the gates
 * journaled as passed, by this run or an earlier resume of it. {@code rollbackAll}: why the run owes a
 * rollback of every host that ran, when a trigger decided one ({@code then: rollback-all}); it stays owed
 * through every later resume. {@code finishOrder}: the hosts whose steps ended (before any rollback of
 * them), in the order their last such end was journaled, earliest first.
 */
public record RunState(RunHeader header, List<RunHeader> resumes, Map<String, HostState> hosts, Optional<String> status,
        Optional<Integer> exitCode, Optional<Instant> finished, boolean tornTail, Set<GatePass> passedGates,
        Optional<String> rollbackAll, List<String> finishOrder) {
    public RunState {
        finishOrder = List.copyOf(finishOrder);
        resumes = List.copyOf(resumes);
        passedGates = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(passedGates));
        hosts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(hosts));
    }

    public String runId() {
        return header.runId();
    }

    /**
     * The digest of the runbook the run last ran with: a resume or rollback forced past a changed
     * runbook journals the new one, and the next resume compares against that.
     */
    public String lastDigest() {
        return lastHeader().digest();
    }

    /** The header of the run's latest start: a resume or rollback names the runbook and hosts it ran with. */
    public RunHeader lastHeader() {
        return resumes.isEmpty() ? header : resumes.get(resumes.size() - 1);
    }

    /** Every runbook name the run has run as: more than one once a resume was forced past a rename. */
    public Set<String> runbookNames() {
        Set<String> names = new java.util.TreeSet<>();
        names.add(header.runbook());
        resumes.forEach(r -> names.add(r.runbook()));
        return names;
    }

    /** What {@code runs list} shows: the last finished status, or {@code running}/{@code aborted} when none. */
    public String displayStatus(boolean lockHeld) {
        return status.orElse(lockHeld ? "running" : "aborted");
    }
}
