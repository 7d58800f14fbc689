package dev.opsctl.shell;

import dev.opsctl.engine.ExitCodes;
import java.util.Optional;

/** The exit-code contract in words, for the line the shell prints after a command that did not end 0. */
final class ExitMeaning {
    private ExitMeaning() {}

    static Optional<String> of(int code) {
        return Optional.ofNullable(switch (code) {
            case ExitCodes.FAILED -> "a step failed";
            case ExitCodes.USAGE -> "usage or validation error";
            case ExitCodes.ROLLED_BACK -> "rolled back (a trigger fired, or runs rollback), rollback succeeded";
            case ExitCodes.ROLLBACK_FAILED -> "a human must act: a rollback failed, or a command may still run on a host";
            case ExitCodes.GATE_FAILED -> "a gate or checklist was not passed";
            case ExitCodes.LOCKED -> "another run holds the cluster lock";
            case ExitCodes.INTERNAL -> "internal error";
            case ExitCodes.INTERRUPTED -> "interrupted";
            default -> null;
        });
    }
}
