package dev.opsctl.action;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a step did. {@code data} holds the fields a later step, an {@code until} or a trigger may read
 * as {@code steps.<id>.<field>} (status, body, path, ...); {@code stdout}, {@code stderr}, {@code rc}
 * and {@code changed} are always there too. {@code message} is one line for the console.
 * {@code commandMayStillRun}: the step's command timed out and was not confirmed stopped, so it may
 * still be running on the host; nothing else should run there beside it.
 */
public record StepResult(
        Outcome outcome, int rc, String stdout, String stderr, String message, Map<String, Object> data, Duration elapsed,
        boolean commandMayStillRun) {

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
        this(outcome, rc, stdout, stderr, message, data, elapsed, false);
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
     * A step whose target call failed without the host being lost: timed out when the call did, else failed;
     * {@code message} is already masked.
     */
    public static StepResult targetFailure(dev.opsctl.target.TargetException e, String message, Duration elapsed) {
        Outcome o = e.kind() == dev.opsctl.target.TargetException.Kind.TIMEOUT ? Outcome.TIMED_OUT : Outcome.FAILED;
        return new StepResult(o, 1, "", "", message, Map.of(), elapsed);
    }

    public boolean succeeded() {
        return outcome.succeeded();
    }

    public StepResult withElapsed(Duration d) {
        return new StepResult(outcome, rc, stdout, stderr, message, data, d, commandMayStillRun);
    }

    public StepResult withOutcome(Outcome o, String why) {
        return new StepResult(o, rc, stdout, stderr, why, data, elapsed, commandMayStillRun);
    }

    /** This result, saying its command may still be running on the host. */
    public StepResult withCommandMayStillRun() {
        return new StepResult(outcome, rc, stdout, stderr, message, data, elapsed, true);
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
