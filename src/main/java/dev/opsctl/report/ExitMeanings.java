package dev.opsctl.report;

/** The exit-code contract of DESIGN.md in words, for the summary line of a run. */
final class ExitMeanings {
    private ExitMeanings() {}

    static String of(int code) {
        return switch (code) {
            case 0 -> "done";
            case 1 -> "a step failed and the run halted";
            case 2 -> "usage or validation error";
            case 3 -> "a host was rolled back (a trigger fired, or 'opsctl runs rollback') and the rollback succeeded";
            case 4 -> "a human must act: a rollback failed, or a command may still be running on a host whose connection broke";
            case 5 -> "a gate was not passed";
            case 6 -> "another run holds the cluster lock";
            case 70 -> "internal error";
            case 130 -> "interrupted: the journal says where";
            default -> "unknown exit code";
        };
    }
}
