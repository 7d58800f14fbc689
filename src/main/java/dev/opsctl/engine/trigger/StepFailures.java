package dev.opsctl.engine.trigger;

import dev.opsctl.action.StepResult;
import dev.opsctl.action.StepResult.Outcome;
import dev.opsctl.runbook.model.Step;
import dev.opsctl.runbook.model.Trigger;
import java.util.Optional;

/**
 * Whether a step's result matches a {@code when: {step: id, failed: true, class: ...}} condition.
 * Classes: {@code exit} (the step failed: non-zero exit, unexpected status), {@code timeout},
 * {@code unreachable} (the host could not be reached, or the connection to it broke while the step ran,
 * as {@code opsctl exec} counts a host) and {@code connection_lost} (only the latter). A failure the
 * step ignores ({@code ignore_errors}) never matches.
 */
final class StepFailures {
    private StepFailures() {}

    static boolean matches(Trigger.StepFailure when, Step step, StepResult result) {
        if (result.succeeded() || step.ignoreErrors()) {
            return false;
        }
        if (when.stepId().isPresent() && !when.stepId().get().equals(step.id())) {
            return false;
        }
        return when.failureClass().map(c -> c.equals(failureClass(result.outcome()))
                || c.equals("unreachable") && result.outcome() == Outcome.CONNECTION_LOST).orElse(true);
    }

    /** The failure's own class (a lost connection's is {@code connection_lost}, which {@code unreachable} matches too). */
    static String failureClass(Outcome o) {
        return switch (o) {
            case TIMED_OUT -> "timeout";
            case UNREACHABLE -> "unreachable";
            case CONNECTION_LOST -> "connection_lost";
            default -> "exit";
        };
    }

    static String describe(Trigger.StepFailure when) {
        String which = when.stepId().map(id -> "step '" + id + "'").orElse("any step");
        return which + " failed" + when.failureClass().map(c -> " (" + c + ")").orElse("");
    }

    static Optional<String> text(Trigger t) {
        return t.onStep().map(StepFailures::describe);
    }
}
