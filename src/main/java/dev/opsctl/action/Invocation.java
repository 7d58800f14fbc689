package dev.opsctl.action;

import dev.opsctl.target.TargetException;
import java.time.Duration;

/** A parsed step body: its type and spec, kept together so the engine can run it without knowing the type. */
public record Invocation<S>(ActionType<S> type, S spec) {
    public StepResult execute(StepContext ctx) throws TargetException, InterruptedException {
        return type.execute(spec, ctx);
    }

    public Duration estimate() {
        return type.estimate(spec);
    }

    public String summary() {
        return type.summary(spec);
    }

    public java.util.Map<String, TemplatedDuration> durations() {
        return type.durations(spec);
    }

    /** {@link ActionType#reachesCluster}. */
    public boolean reachesCluster() {
        return type.reachesCluster(spec);
    }

    public String typeName() {
        return type.name();
    }
}
