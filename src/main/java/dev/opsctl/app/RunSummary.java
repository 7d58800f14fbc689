package dev.opsctl.app;

import java.time.Instant;
import java.util.List;

/** A line of {@code opsctl runs list}. {@code status}: the run's last status, {@code running}, or {@code aborted} (killed). */
public record RunSummary(String runId, String runbook, Instant started, String status, List<String> hosts, String operator) {
    public RunSummary {
        hosts = List.copyOf(hosts);
    }
}
