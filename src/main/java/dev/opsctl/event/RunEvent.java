package dev.opsctl.event;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything a run reports, in the order it happens. Field names are the {@code -o json} contract:
 * {@code type} is the record's kebab-case name ({@code step-finished}), the rest are the components.
 * Secrets are masked before an event is made.
 */
public sealed interface RunEvent {
    String runId();

    Instant time();

    /** The JSON {@code type} field. */
    default String type() {
        String n = getClass().getSimpleName();
        return n.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    record RunStarted(String runId, Instant time, String runbook, String runbookFile, String digest, List<String> hosts,
            Map<String, String> params, String operator, boolean resumed) implements RunEvent {}

    record BatchStarted(String runId, Instant time, int batch, int batches, List<String> hosts) implements RunEvent {}

    record HostStarted(String runId, Instant time, String host, String target) implements RunEvent {}

    record StepStarted(String runId, Instant time, String host, String step, String title, int attempt, String summary)
            implements RunEvent {}

    record StepOutput(String runId, Instant time, String host, String step, String stream, String line) implements RunEvent {}

    /**
     * {@code outcome}: ok, changed, failed, timed_out, skipped, unreachable, connection_lost. {@code incomplete}: the paths (keys,
     * list indexes) of {@code result} values carried only in part, by why: {@link #CUT} (output over 64K characters,
     * only its head kept) or {@link #MASKED} (a secret's value masked in it).
     */
    record StepFinished(String runId, Instant time, String host, String step, String outcome, int rc, long elapsedMs,
            String message, Map<String, Object> result, boolean ignored, Map<String, List<List<String>>> incomplete)
            implements RunEvent {
        public static final String CUT = "cut";
        public static final String MASKED = "masked";

        public StepFinished(String runId, Instant time, String host, String step, String outcome, int rc, long elapsedMs,
                String message, Map<String, Object> result, boolean ignored) {
            this(runId, time, host, step, outcome, rc, elapsedMs, message, result, ignored, Map.of());
        }
    }

    /** {@code status}: ok, failed, unreachable, halted, rolled_back, rollback_failed, skipped, interrupted. */
    record HostFinished(String runId, Instant time, String host, String status, String message) implements RunEvent {}

    record GateEvaluated(String runId, Instant time, String phase, String checklist, String host, boolean passed,
            List<Map<String, Object>> answers) implements RunEvent {}

    /**
     * A trigger fired on a host. {@code action}: what it asks for (rollback, rollback-all, halt, ask,
     * pause); {@code evidence}: one line saying why; {@code values}: the probe's (or step's) values the
     * condition read, masked; {@code dryRun}: reported by {@code --dry-run-triggers}, not acted on.
     */
    record TriggerFired(String runId, Instant time, String host, String trigger, String action, String evidence,
            Map<String, Object> values, boolean dryRun) implements RunEvent {}

    record RollbackStarted(String runId, Instant time, String host, String reason) implements RunEvent {}

    record RollbackFinished(String runId, Instant time, String host, boolean succeeded, String message) implements RunEvent {}

    /** {@code status}: ok, failed, halted, rolled_back, rollback_failed, gate_failed, interrupted. */
    record RunFinished(String runId, Instant time, String status, int exitCode, long elapsedMs, Map<String, String> hosts,
            String message) implements RunEvent {}

    /** The rollout stopped starting hosts, at the moment it did (a gate, the failure budget, a trigger): {@code reason} says why. */
    record RunHalted(String runId, Instant time, String reason) implements RunEvent {}

    /** A note for the operator: a warning, a halt reason, where to look next. */
    record Notice(String runId, Instant time, String level, String host, String message) implements RunEvent {}
}
