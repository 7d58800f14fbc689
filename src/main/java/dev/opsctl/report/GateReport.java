package dev.opsctl.report;

import java.time.Instant;
import java.util.List;

/** A gate evaluated during the run: which checklist, where ({@code host} empty for a run-level gate), and every answer. */
public record GateReport(Instant time, String phase, String checklist, String host, boolean passed, List<GateAnswer> answers) {
    public GateReport {
        answers = List.copyOf(answers);
    }
}
