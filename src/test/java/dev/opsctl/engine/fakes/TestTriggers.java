package dev.opsctl.engine.fakes;

import dev.opsctl.action.Invocation;
import dev.opsctl.runbook.model.Gates;
import dev.opsctl.runbook.model.Metadata;
import dev.opsctl.runbook.model.Runbook;
import dev.opsctl.runbook.model.Step;
import dev.opsctl.runbook.model.Strategy;
import dev.opsctl.runbook.model.Targets;
import dev.opsctl.runbook.model.Trigger;
import dev.opsctl.runbook.model.TriggerAction;
import dev.opsctl.source.SourcePos;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Triggers and runbooks with triggers and rollback steps, for engine tests. */
public final class TestTriggers {
    private TestTriggers() {}

    public static Trigger onStep(String name, Optional<String> step, Optional<String> failureClass, TriggerAction then) {
        return new Trigger(name, Optional.of(new Trigger.StepFailure(step, failureClass)), Optional.empty(), Optional.empty(),
                Optional.empty(), Duration.ofSeconds(10), 1, then, Optional.empty(), TriggerAction.ROLLBACK, SourcePos.NONE);
    }

    public static Trigger onStep(String name, String step, TriggerAction then) {
        return onStep(name, Optional.of(step), Optional.empty(), then);
    }

    /** A probe trigger whose probe plays {@code probe} (see {@link FakeAction}; calls recorded as {@code host:<name>}). */
    public static Trigger probe(String name, FakeAction.Script probe, String when, Optional<Duration> forDuration, Duration interval,
            int failureLimit, TriggerAction then) {
        return new Trigger(name, Optional.empty(), Optional.of(new Invocation<>(new FakeAction(name), probe)), Optional.of(when),
                forDuration, interval, failureLimit, then, Optional.empty(), TriggerAction.ROLLBACK, SourcePos.NONE);
    }

    public static Trigger ask(Trigger t, Optional<Duration> askTimeout, TriggerAction onTimeout) {
        return new Trigger(t.name(), t.onStep(), t.probe(), t.when(), t.forDuration(), t.interval(), t.failureLimit(),
                TriggerAction.ASK, askTimeout, onTimeout, t.pos());
    }

    public static Runbook runbook(Strategy strategy, List<Trigger> triggers, List<TestSteps> steps, List<TestSteps> rollback) {
        return new Runbook(Path.of("runbooks/test.yaml"), "sha256:0000", new Metadata("test", "a test runbook", Map.of()), List.of(),
                new Targets(List.of("all"), SourcePos.NONE), strategy, Gates.NONE, triggers,
                steps.stream().map(TestSteps::build).toList(), rollback.stream().map(TestSteps::build).toList(), SourcePos.NONE);
    }

    public static List<Step> built(List<TestSteps> steps) {
        return steps.stream().map(TestSteps::build).toList();
    }
}
