package dev.opsctl.report;

/**
 * One checklist item's answer: {@code status} as the checklist runner journaled it (passed, failed,
 * confirmed, declined, skipped...), who answered ({@code operator}, or the probe), when (as
 * journaled), the operator's note and the probe's evidence. Empty strings where the journal had nothing.
 */
public record GateAnswer(String item, String status, String operator, String time, String note, String evidence) {
    public boolean passed() {
        return java.util.List.of("passed", "ok", "confirmed", "yes", "done").contains(status);
    }
}
