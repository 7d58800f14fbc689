package dev.opsctl.runbook.model;

import dev.opsctl.action.Invocation;
import dev.opsctl.source.SourcePos;
import java.time.Duration;
import java.util.Optional;

/**
 * A condition plus an action. Either {@code onStep} (a step failed: any step when the id is empty,
 * optionally only a class of failure) or {@code probe} + {@code when} (a probe's result compared, e.g.
 * {@code "status >= 500"}), optionally sustained for {@code forDuration} sampled every {@code interval}.
 * {@code armedAfter}: a probe trigger is sampled only once this step has finished on the host (a
 * health check means nothing while the procedure itself has the service down).
 */
public record Trigger(
        String name,
        Optional<StepFailure> onStep,
        Optional<Invocation<?>> probe,
        Optional<String> when,
        Optional<Duration> forDuration,
        Duration interval,
        int failureLimit,
        TriggerAction then,
        Optional<Duration> askTimeout,
        TriggerAction onAskTimeout,
        Optional<String> armedAfter,
        SourcePos pos) {

    public Trigger(String name, Optional<StepFailure> onStep, Optional<Invocation<?>> probe, Optional<String> when,
            Optional<Duration> forDuration, Duration interval, int failureLimit, TriggerAction then,
            Optional<Duration> askTimeout, TriggerAction onAskTimeout, SourcePos pos) {
        this(name, onStep, probe, when, forDuration, interval, failureLimit, then, askTimeout, onAskTimeout, Optional.empty(), pos);
    }

    /** "a step failed": which step (empty = any) and which class of failure (empty = any). */
    public record StepFailure(Optional<String> stepId, Optional<String> failureClass) {}
}
