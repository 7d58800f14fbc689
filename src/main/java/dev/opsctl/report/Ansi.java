package dev.opsctl.report;

/** SGR colours when enabled, the bare text otherwise, and the few cursor moves the live board needs. */
record Ansi(boolean enabled) {
    static final String CLEAR_TO_END = "\u001b[J";

    String green(String s) {
        return sgr("32", s);
    }

    String red(String s) {
        return sgr("31", s);
    }

    String yellow(String s) {
        return sgr("33", s);
    }

    String bold(String s) {
        return sgr("1", s);
    }

    String dim(String s) {
        return sgr("2", s);
    }

    /** The colour for an outcome or status word: ok green, trouble red, the rest yellow. */
    String status(String word) {
        return switch (word) {
            case "ok", "changed", "passed" -> green(word);
            case "failed", "timed_out", "unreachable", "connection_lost", "rollback_failed", "halted", "gate_failed", "not passed" ->
                    red(word);
            default -> yellow(word);
        };
    }

    /** Moves the cursor to the start of the line {@code n} lines up. */
    static String up(int n) {
        return n <= 0 ? "\r" : "\u001b[" + n + "F";
    }

    private String sgr(String code, String s) {
        return enabled ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }
}
