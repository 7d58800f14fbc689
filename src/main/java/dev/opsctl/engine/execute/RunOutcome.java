package dev.opsctl.engine.execute;

import java.util.Map;

/**
 * How a run ended. {@code status}: ok, failed, halted, interrupted (or a hook's, e.g. rolled_back);
 * {@code hosts}: each host's status (ok, failed, unreachable, halted, interrupted, not_started, ...).
 */
public record RunOutcome(String runId, String status, int exitCode, Map<String, String> hosts, String message) {
    public RunOutcome {
        hosts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(hosts));
    }
}
