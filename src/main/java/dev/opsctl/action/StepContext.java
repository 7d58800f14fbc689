package dev.opsctl.action;

import dev.opsctl.target.Sudo;
import dev.opsctl.target.Target;
import dev.opsctl.target.TargetException;
import dev.opsctl.template.TemplateException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a running step may use. Given by the engine, one per host and step attempt.
 * Rendering and conditions see the run's variables (params, host, steps, vars).
 */
public interface StepContext {
    /** The host the step runs for (its inventory name). */
    String host();

    /** The host's target: where commands run and files go. */
    Target target();

    /** Renders a template as plain text (URLs, file contents, messages). */
    String render(String template) throws TemplateException;

    /** Renders a command: every substituted value single-quoted unless written {@code raw(x)}. */
    String renderCommand(String template) throws TemplateException;

    /** Evaluates a condition with {@code extra} fields (e.g. {@code status}, {@code stdout}) in scope. */
    boolean test(String condition, Map<String, Object> extra) throws TemplateException;

    /** The step's {@code timeout}, if any: a command the step runs must not outlive it. */
    Optional<Duration> timeout();

    /** How to become root, when the step says {@code sudo: true}. */
    Sudo sudo();

    /** The run's identity and a directory on the controller for its artefacts (mode 0700). */
    String runId();

    Path runDir();

    Clock clock();

    /** Waits, honouring interruption; tests pass a sleeper that advances a fake clock. */
    void sleep(Duration d) throws InterruptedException;

    /** A live line for the console (progress of a wait, a command's output line). Secrets are masked by the receiver. */
    void progress(String line);

    /** Masks every secret of the run in {@code text}, for messages and data a step returns. */
    String mask(String text);

    /**
     * Asks the operator a yes/no question on behalf of this step (a {@code confirm} step before a
     * remedy). True only when the run was started with {@code --confirm <this step's id>} or an operator
     * at a terminal answered yes; a non-interactive run without that pre-answer gets false, and the
     * engine says how to pre-answer. Answers are journaled. May block while the operator thinks;
     * returns promptly with {@link InterruptedException} on Ctrl-C. The default, for contexts with
     * nobody to ask (probes, unit tests), fails closed: false.
     */
    default boolean confirm(String question) throws InterruptedException {
        return false;
    }

    /**
     * A message for the operator that belongs in the run's record, not just on the screen (a diagnosis,
     * an escalation): the engine emits it as a notice event, which the console prints and the journal
     * keeps. {@code level} is {@code info}, {@code warning} or {@code error}; it does not fail the step.
     * Secrets are masked by the receiver. The default shows it as a progress line.
     */
    default void notice(String level, String message) {
        progress(level + ": " + message);
    }

    /**
     * Watches this host for {@code duration}: every {@code interval} (and once at the start and at the
     * end) runs {@code tick}, then lets the engine sample the run's probe triggers for this host.
     * Returns early with {@code FIRED} when a trigger fires (the step should then fail with the reason;
     * the engine applies the trigger's action after the step returns) or {@code FAILED} when the tick
     * reports a problem. Waits through {@link #sleep}, so tests advance a fake clock. The default, for
     * contexts without triggers, only runs the tick. Honours interruption.
     */
    default WatchOutcome watch(Duration duration, Duration interval, WatchTick tick)
            throws TargetException, InterruptedException {
        java.time.Instant end = clock().instant().plus(duration);
        int samples = 0;
        while (true) {
            Optional<String> failed = tick.check();
            samples++;
            if (failed.isPresent()) {
                return WatchOutcome.failed(failed.get(), samples);
            }
            Duration left = Duration.between(clock().instant(), end);
            if (left.isNegative() || left.isZero()) {
                return WatchOutcome.quiet(samples);
            }
            sleep(left.compareTo(interval) < 0 ? left : interval);
        }
    }
}
