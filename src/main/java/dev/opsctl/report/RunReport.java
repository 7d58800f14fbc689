package dev.opsctl.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run as a person reads it afterwards, built from its journal by {@link JournalReport}: who ran
 * what with which (masked) params, how it ended, and per host every step, gate answer, trigger and
 * rollback. {@code status} is the run-finished status, or {@code unfinished} when the journal has
 * none (the process was killed, or the run is still going). Immutable.
 */
public record RunReport(
        String runId,
        String runbook,
        String runbookFile,
        String digest,
        String operator,
        String controller,
        Optional<String> inventory,
        Map<String, String> params,
        Instant started,
        List<Instant> resumed,
        Optional<Instant> finished,
        String status,
        Optional<Integer> exitCode,
        String message,
        List<String> stepIds,
        List<HostReport> hosts,
        List<GateReport> gates,
        List<TriggerReport> triggers,
        List<RollbackReport> rollbacks,
        List<NoticeReport> notices,
        boolean tornTail) {

    public static final String UNFINISHED = "unfinished";

    public RunReport {
        params = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(params));
        resumed = List.copyOf(resumed);
        stepIds = List.copyOf(stepIds);
        hosts = List.copyOf(hosts);
        gates = List.copyOf(gates);
        triggers = List.copyOf(triggers);
        rollbacks = List.copyOf(rollbacks);
        notices = List.copyOf(notices);
    }

    /** The exit code in words, as DESIGN.md's contract states it. */
    public String exitMeaning() {
        return exitCode.map(ExitMeanings::of).orElse("the run did not finish: the journal ends without a result");
    }

    /** From start to finish; for an unfinished run, to the last thing the journal saw. */
    public Duration duration() {
        return Duration.between(started, end());
    }

    /** The latest time the journal knows of: the finish, else the last step, gate, trigger or rollback. */
    public Instant end() {
        Instant last = finished.orElse(started);
        for (HostReport h : hosts) {
            for (StepReport s : h.steps()) {
                last = max(last, s.finished());
            }
            if (h.finished().isPresent()) {
                last = max(last, h.finished().get());
            }
        }
        for (GateReport g : gates) {
            last = max(last, g.time());
        }
        for (TriggerReport t : triggers) {
            last = max(last, t.time());
        }
        for (RollbackReport r : rollbacks) {
            last = max(last, r.finished().orElse(r.started()));
        }
        return last;
    }

    /** This report with the run's result, for a journal read just before its {@code run-finished} record was written. */
    public RunReport finishedAs(Instant time, String finalStatus, int exit, String finalMessage) {
        return new RunReport(runId, runbook, runbookFile, digest, operator, controller, inventory, params, started, resumed,
                Optional.of(time), finalStatus, Optional.of(exit), finalMessage, stepIds, hosts, gates, triggers, rollbacks,
                notices, tornTail);
    }

    public boolean finishedRun() {
        return exitCode.isPresent();
    }

    public Optional<HostReport> host(String name) {
        return hosts.stream().filter(h -> h.name().equals(name)).findFirst();
    }

    public List<GateReport> gatesOf(String host) {
        return gates.stream().filter(g -> g.host().equals(host)).toList();
    }

    public List<TriggerReport> triggersOf(String host) {
        return triggers.stream().filter(t -> t.host().equals(host)).toList();
    }

    public List<RollbackReport> rollbacksOf(String host) {
        return rollbacks.stream().filter(r -> r.host().equals(host)).toList();
    }

    private static Instant max(Instant a, Instant b) {
        return b.isAfter(a) ? b : a;
    }
}
