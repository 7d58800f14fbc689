package dev.opsctl.engine.plan;

import dev.opsctl.runbook.model.Runbook;
import dev.opsctl.runbook.model.Strategy;
import dev.opsctl.runbook.model.Trigger;
import dev.opsctl.runbook.model.TriggerAction;
import java.util.Optional;

/** Says, for {@code opsctl plan}, what each trigger watches and what it would do under the runbook's strategy. */
final class TriggerPlans {
    private TriggerPlans() {}

    static PlannedTrigger planned(Trigger t, Runbook rb) {
        String condition = t.onStep().map(TriggerPlans::stepCondition)
                .orElseGet(() -> t.probe().map(p -> p.typeName() + " probe '" + p.summary() + "'").orElse("probe")
                        + t.when().map(w -> ": '" + w + "'").orElse(""));
        boolean probe = t.probe().isPresent();
        boolean ask = t.then() == TriggerAction.ASK;
        return new PlannedTrigger(t.name(), condition, t.forDuration(), probe ? Optional.of(t.interval()) : Optional.empty(),
                t.failureLimit(), t.then().yamlName(), ask ? t.askTimeout() : Optional.empty(),
                ask ? Optional.of(t.onAskTimeout().yamlName()) : Optional.empty(), effect(t.then(), t.onAskTimeout(), rb));
    }

    private static String stepCondition(Trigger.StepFailure f) {
        return f.stepId().map(id -> "step '" + id + "'").orElse("any step") + " failed"
                + f.failureClass().map(c -> " (" + c + ")").orElse("");
    }

    private static String effect(TriggerAction a, TriggerAction onTimeout, Runbook rb) {
        String steps = rb.rollback().size() + (rb.rollback().size() == 1 ? " rollback step" : " rollback steps");
        return switch (a) {
            case ROLLBACK -> "run the " + steps + " on that host (exit 3, or 4 if the rollback fails), then " + afterRollback(rb.strategy());
            case ROLLBACK_ALL -> "run the " + steps + " on that host, halt, then on every host that ran, latest first (exit 3 or 4)";
            case HALT -> "halt the rollout and leave every host as it is (exit 1)";
            case ASK -> "ask the operator: rollback, continue or halt; nobody answers (or a non-interactive run): "
                    + effect(onTimeout, onTimeout, rb);
            case PAUSE -> "wait for the operator: continue, rollback or halt; a non-interactive run halts (exit 1)";
        };
    }

    private static String afterRollback(Strategy s) {
        return s.continueOnFailure() ? "go on while no more than " + s.maxFailures() + " hosts failed (continue_on_failure)"
                : "halt the rollout: no further host starts";
    }
}
