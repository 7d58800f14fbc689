package dev.opsctl.engine.rollback;

import dev.opsctl.runbook.model.Step;
import java.util.List;
import java.util.Optional;

/**
 * Runs a host's rollback steps in order. A failed step that is not {@code ignore_errors} stops the
 * rollback there: going on after a failed restore could make things worse, so the host is left for a
 * human (exit 4) with the step named. A runbook without rollback steps cannot roll back: that is a
 * failure too, never a silent success. Stateless.
 */
public final class RollbackSteps {
    /** One rollback step's end, as the engine ran it. */
    public record Ran(boolean succeeded, boolean interrupted, String message) {}

    /** Runs one step for the host being rolled back (the engine's step runner, with the host's scope). */
    @FunctionalInterface
    public interface Executor {
        Ran run(Step step) throws InterruptedException;
    }

    private RollbackSteps() {}

    public static RollbackResult run(List<Step> steps, Executor executor) throws InterruptedException {
        if (steps.isEmpty()) {
            return new RollbackResult(RollbackResult.Status.FAILED, Optional.empty(),
                    "the runbook has no rollback steps; the host is left as it is");
        }
        for (Step step : steps) {
            Ran ran = executor.run(step);
            if (ran.interrupted()) {
                return new RollbackResult(RollbackResult.Status.INTERRUPTED, Optional.of(step.id()),
                        "rollback interrupted at step '" + step.id() + "'");
            }
            if (!ran.succeeded()) {
                return new RollbackResult(RollbackResult.Status.FAILED, Optional.of(step.id()),
                        "rollback step '" + step.id() + "' failed: " + ran.message());
            }
        }
        return new RollbackResult(RollbackResult.Status.SUCCEEDED, Optional.empty(),
                "rolled back (" + steps.size() + (steps.size() == 1 ? " step)" : " steps)"));
    }
}
