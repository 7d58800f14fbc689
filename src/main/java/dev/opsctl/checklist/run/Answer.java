package dev.opsctl.checklist.run;

import java.util.Optional;

/**
 * An operator's answer to a manual item: confirm, fail, skip (the note is the reason), or none (fails
 * closed). {@code operator} overrides the run's operator (e.g. from an answers file).
 */
public record Answer(Decision decision, String note, Optional<String> operator) {
    public enum Decision {
        CONFIRM,
        FAIL,
        SKIP,
        NONE
    }

    public static Answer confirm(String note) {
        return new Answer(Decision.CONFIRM, note, Optional.empty());
    }

    public static Answer fail(String note) {
        return new Answer(Decision.FAIL, note, Optional.empty());
    }

    public static Answer skip(String reason) {
        return new Answer(Decision.SKIP, reason, Optional.empty());
    }

    public static Answer unanswered(String why) {
        return new Answer(Decision.NONE, why, Optional.empty());
    }

    public Answer by(String who) {
        return new Answer(decision, note, Optional.of(who));
    }
}
