package dev.opsctl.cli;

import java.util.Optional;

/** The operator asked for something that cannot be done as asked: exit 2 with a one-line message. */
final class UsageException extends RuntimeException {
    private final String hint;

    UsageException(String message) {
        this(message, null);
    }

    UsageException(String message, String hint) {
        super(message, null, false, false);
        this.hint = hint;
    }

    Optional<String> hint() {
        return Optional.ofNullable(hint);
    }
}
