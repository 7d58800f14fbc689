package dev.opsctl.report;

/**
 * One checklist item's answer: {@code status} as the checklist runner journaled it (passed, failed,
 * skipped, unanswered; confirmed or declined for manual items), who answered ({@code operator}, or the probe), when (as
 * journaled), the operator's note and the probe's evidence. Empty strings where the journal had nothing.
 */
public record GateAnswer(String item, String status, String operator, String time, String note, String evidence) {
    /** False for the answers that block a gate (failed, unanswered, declined); a skip with a reason lets it pass. */
    public boolean passed() {
        return !java.util.List.of("failed", "unanswered", "declined", "no", "timed_out", "error").contains(status);
    }
}
