package dev.opsctl.engine.rollback;

import java.util.Optional;

/** How one host's rollback ended; {@code failedStep} names the rollback step that failed or was interrupted. */
public record RollbackResult(Status status, Optional<String> failedStep, String message) {
    public enum Status {
        SUCCEEDED,
        FAILED,
        INTERRUPTED
    }

    public boolean succeeded() {
        return status == Status.SUCCEEDED;
    }

    /** The host's status after it: {@code rolled_back}, {@code rollback_failed} or {@code interrupted}. */
    public String hostStatus() {
        return switch (status) {
            case SUCCEEDED -> "rolled_back";
            case FAILED -> "rollback_failed";
            case INTERRUPTED -> "interrupted";
        };
    }
}
