package dev.opsctl.action;

import dev.opsctl.target.TargetException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a step did. {@code data} holds the fields a later step, an {@code until} or a trigger may read
 * as {@code steps.<id>.<field>} (status, body, path, ...); {@code stdout}, {@code stderr}, {@code rc}
 * and {@code changed} are always there too. {@code message} is one line for the console.
 * {@code commandMayStillRun}: the step's command timed out and was not confirmed stopped, so it may
 * still be running on the host; nothing else should run there beside it.
 * {@code targetFailed}: the step's call to its target failed without an answer to judge (the host, daemon or server could
 * not be reached, did not answer, broke off, or refused the call with an error): {@code rc}, {@code stdout}, {@code stderr}
 * and {@code data} are placeholders, not what a command or server said.
 */
public record StepResult(
        Outcome outcome, int rc, String stdout, String stderr, String message, Map<String, Object> data, Duration elapsed,
        boolean commandMayStillRun, boolean targetFailed) {

    public enum Outcome {
        OK,
        CHANGED,
        FAILED,
        TIMED_OUT,
        SKIPPED,
        /** the host could not be reached (connect, credentials, host key): nothing of the step ran on it */
        UNREACHABLE,
        /** the connection to the host broke while the step's command ran: it may have run in part, or still run */
        CONNECTION_LOST;

        public boolean succeeded() {
            return this == OK || this == CHANGED || this == SKIPPED;
        }
    }

    public StepResult {
        data = Map.copyOf(data);
    }

    public StepResult(Outcome outcome, int rc, String stdout, String stderr, String message, Map<String, Object> data, Duration elapsed) {
        this(outcome, rc, stdout, stderr, message, data, elapsed, false, false);
    }

    public StepResult(Outcome outcome, int rc, String stdout, String stderr, String message, Map<String, Object> data, Duration elapsed,
            boolean commandMayStillRun) {
        this(outcome, rc, stdout, stderr, message, data, elapsed, commandMayStillRun, false);
    }

    public static StepResult ok(String message, Map<String, Object> data) {
        return new StepResult(Outcome.OK, 0, "", "", message, data, Duration.ZERO);
    }

    public static StepResult changed(String message, Map<String, Object> data) {
        return new StepResult(Outcome.CHANGED, 0, "", "", message, data, Duration.ZERO);
    }

    public static StepResult failed(String message, Map<String, Object> data) {
        return new StepResult(Outcome.FAILED, 1, "", "", message, data, Duration.ZERO);
    }

    /**
     * A step whose target call failed, for a step type that reports its target's errors itself (docker, kube, helm,
     * prometheus): timed out when the call did; connection_lost when the connection broke under a call that may have
     * changed something, saying whether it may still be running ({@link #commandMayStillRun}), as a shell step's
     * lost command does; else failed (a host that could not be reached at all is the step type's to rethrow).
     * {@code message} is already masked.
     */
    public static StepResult targetFailure(TargetException e, String message, Duration elapsed) {
        Outcome o = e.unreachable() ? Outcome.FAILED : outcomeOf(e);
        return new StepResult(o, 1, "", "", message, Map.of(), elapsed, mayStillRun(e), true);
    }

    /**
     * What a target failure means for a step: unreachable (nothing ran), connection_lost (it may have run in part,
     * or still run), timed out, or failed. A lost connection under a call that only read is a plain failure: nothing
     * was cut short, and it may be made again.
     */
    public static Outcome outcomeOf(TargetException e) {
        if (e.unreachable()) {
            return Outcome.UNREACHABLE;
        }
        return switch (e.kind()) {
            case TIMEOUT -> Outcome.TIMED_OUT;
            case CONNECTION_LOST -> e.lostCommand() == TargetException.LostCommand.READ_ONLY ? Outcome.FAILED : Outcome.CONNECTION_LOST;
            default -> Outcome.FAILED;
        };
    }

    /**
     * Whether what {@code e} cut short may still be running on the host: a lost connection nothing stopped, or a change
     * the host went silent under ({@link TargetException#mayStillRun()}).
     */
    public static boolean mayStillRun(TargetException e) {
        return e.mayStillRun();
    }

    public boolean succeeded() {
        return outcome.succeeded();
    }

    /**
     * As a probe's result: there is no answer to judge, only placeholders. Its target failed ({@link #targetFailed}), the host
     * could not be reached, the connection broke under it, or it timed out (what it printed before it hung is no answer).
     */
    public boolean couldNotCheck() {
        return targetFailed || outcome == Outcome.UNREACHABLE || outcome == Outcome.CONNECTION_LOST || outcome == Outcome.TIMED_OUT;
    }

    public StepResult withElapsed(Duration d) {
        return new StepResult(outcome, rc, stdout, stderr, message, data, d, commandMayStillRun, targetFailed);
    }

    public StepResult withOutcome(Outcome o, String why) {
        return new StepResult(o, rc, stdout, stderr, why, data, elapsed, commandMayStillRun, targetFailed);
    }

    /** This result, saying its command may still be running on the host. */
    public StepResult withCommandMayStillRun() {
        return new StepResult(outcome, rc, stdout, stderr, message, data, elapsed, true, targetFailed);
    }

    /** This result, saying its call to the target failed without an answer ({@link #targetFailed}). */
    public StepResult withTargetFailed() {
        return new StepResult(outcome, rc, stdout, stderr, message, data, elapsed, commandMayStillRun, true);
    }

    /** Everything a template or condition may read about this result. */
    public Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>(data);
        f.put("rc", (long) rc);
        f.put("stdout", stdout);
        f.put("stderr", stderr);
        f.put("changed", outcome == Outcome.CHANGED);
        f.put("failed", !succeeded());
        f.put("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT));
        f.put("elapsed_ms", elapsed.toMillis());
        return f;
    }
}
