package dev.opsctl.action;

/**
 * How a {@link StepContext#watch watch} ended: {@code QUIET} (the whole duration passed and nothing
 * fired), {@code FIRED} (one of the run's triggers fired on this host; the engine acts on it after the
 * step returns) or {@code FAILED} (the watching step's own check failed). {@code samples}: how many
 * times the host was checked. Immutable.
 */
public record WatchOutcome(State state, String reason, int samples) {
    public enum State {
        QUIET,
        FIRED,
        FAILED
    }

    public static WatchOutcome quiet(int samples) {
        return new WatchOutcome(State.QUIET, "", samples);
    }

    public static WatchOutcome fired(String reason, int samples) {
        return new WatchOutcome(State.FIRED, reason, samples);
    }

    public static WatchOutcome failed(String reason, int samples) {
        return new WatchOutcome(State.FAILED, reason, samples);
    }
}
