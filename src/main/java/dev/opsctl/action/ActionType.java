package dev.opsctl.action;

import dev.opsctl.source.Node;
import java.time.Duration;
import java.util.Optional;

/**
 * A step type: the name written in YAML ({@code shell:}), how its node is parsed, and how it runs.
 * Implementations are stateless and thread-safe; one instance serves every step of its type.
 *
 * @param <S> the parsed spec, an immutable record of the YAML fields
 */
public interface ActionType<S> {
    /** The YAML key, the package name and the class prefix: {@code wait}, {@code action/wait/}, {@code WaitAction}. */
    String name();

    /** One paragraph for {@code runbooks show}, the docs and the schema. */
    String description();

    /** A whole step using this type that loads cleanly; the registry test loads every example. */
    String example();

    /**
     * Parses the value under this type's key. Reports every problem to {@code ctx.problems()} with a
     * position and returns empty when the node cannot make a spec. Never throws for bad input.
     */
    Optional<S> parse(Node node, ParseContext ctx);

    /**
     * Runs the step. A failure of the step (non-zero exit, unexpected status) is a {@link StepResult}
     * with outcome FAILED, not an exception; an unreachable host is a {@link dev.opsctl.target.TargetException}
     * thrown by the target, which the engine turns into an UNREACHABLE outcome. Must return promptly
     * when interrupted (Ctrl-C, step timeout) with {@link InterruptedException}.
     */
    StepResult execute(S spec, StepContext ctx) throws dev.opsctl.target.TargetException, InterruptedException;

    /**
     * The fields this type puts in {@link StepResult#data()} ({@code status}, {@code body}, ...), so that
     * conditions on its results (a step's {@code until}, a probe trigger's {@code when}) are checked at
     * load time. Empty when the type does not declare them: such conditions may then read any bare name.
     */
    default Optional<java.util.Set<String>> resultFields() {
        return Optional.empty();
    }

    /** The plan-time estimate when the step gives none. */
    default Duration estimate(S spec) {
        return Duration.ofSeconds(1);
    }

    /**
     * The spec's durations that may be templates, by what they are ({@code 'interval' in 'wait'}), so
     * that a param making one no duration is refused before a run starts, not when the step runs.
     */
    default java.util.Map<String, TemplatedDuration> durations(S spec) {
        return java.util.Map.of();
    }

    /**
     * Whether the step works on a Kubernetes cluster's API server, from the controller, rather than on its host: a step
     * that could not reach it, or lost its connection to it, is told so of the cluster, not of the host.
     */
    default boolean reachesCluster(S spec) {
        return false;
    }

    /** A one-line summary for plans and progress: {@code systemctl restart docker}. */
    default String summary(S spec) {
        return name();
    }
}
