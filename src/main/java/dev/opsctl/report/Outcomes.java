package dev.opsctl.report;

import java.util.Locale;

/**
 * How outcomes and host states look in the reports: a colour (dark enough for white text, WCAG AA),
 * a symbol and a word, so that nothing is told by colour alone.
 */
final class Outcomes {
    static final String GREEN = "#1a7f37";
    static final String GREY = "#6b7280";
    static final String RED = "#b42318";
    static final String ORANGE = "#b54708";
    static final String PURPLE = "#6941c6";
    static final String SLATE = "#344054";
    static final String BLUE = "#1d4ed8";

    private Outcomes() {}

    /** Colour of a step outcome (ok, changed, skipped, failed, timed_out, unreachable, connection_lost, interrupted). */
    static String colour(String outcome) {
        return switch (outcome) {
            case "ok", "changed", "passed", "rolled_back" -> GREEN;
            case "skipped", "not_started" -> GREY;
            case "failed", "rollback_failed", "gate_failed" -> RED;
            case "timed_out", "halted" -> ORANGE;
            case "unreachable", "connection_lost" -> PURPLE;
            default -> SLATE;
        };
    }

    /** Colour of a run status or a host's final state: rolled back is a warning, not a success. */
    static String stateColour(String state) {
        return switch (state) {
            case "ok" -> GREEN;
            case "rolled_back" -> ORANGE;
            default -> colour(state);
        };
    }

    static String symbol(String outcome) {
        return switch (outcome) {
            case "ok", "passed" -> "✓";
            case "changed" -> "✎";
            case "skipped", "not_started" -> "–";
            case "failed", "rollback_failed", "gate_failed" -> "✗";
            case "timed_out" -> "⏱";
            case "unreachable", "connection_lost" -> "⚡";
            case "rolled_back" -> "↺";
            case "halted" -> "■";
            default -> "?";
        };
    }

    /** {@code rolled_back} as {@code rolled back}. */
    static String words(String outcome) {
        return outcome.replace('_', ' ');
    }

    static String upper(String outcome) {
        return words(outcome).toUpperCase(Locale.ROOT);
    }
}
