package dev.opsctl.report;

import java.time.Instant;
import java.util.Map;

/**
 * A trigger that fired on a host: what it asked for (rollback, rollback-all, halt, ask, pause), the
 * evidence line, the (masked) values its condition read, and whether it was only reported
 * ({@code --dry-run-triggers}) rather than acted on.
 */
public record TriggerReport(Instant time, String host, String trigger, String action, String evidence, Map<String, String> values,
        boolean dryRun) {
    public TriggerReport {
        values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }

    /** {@code status=500, latency_ms=41}: the values as one line. */
    public String valuesLine() {
        return String.join(", ", values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }
}
