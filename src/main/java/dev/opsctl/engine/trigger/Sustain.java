package dev.opsctl.engine.trigger;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One probe trigger's state on one host: pending since the first sample on which its condition held,
 * and how many samples in a row held. It fires when the condition held on {@code failure_limit}
 * consecutive samples and for at least {@code for}; a sample on which it does not hold resets it, and
 * so does firing. Confined to the host's thread.
 */
final class Sustain {
    enum State {
        QUIET,
        PENDING,
        FIRING
    }

    private Optional<Instant> since = Optional.empty();
    private int consecutive;
    private Optional<Instant> lastSample = Optional.empty();

    State sample(boolean holds, Instant now, Duration forDuration, int failureLimit) {
        lastSample = Optional.of(now);
        if (!holds) {
            reset();
            return State.QUIET;
        }
        if (since.isEmpty()) {
            since = Optional.of(now);
        }
        consecutive++;
        if (consecutive >= failureLimit && heldFor(now).compareTo(forDuration) >= 0) {
            reset();
            return State.FIRING;
        }
        return State.PENDING;
    }

    /** A sample whose answer could not be judged: it changes nothing but when the next one is due. */
    void unjudged(Instant now) {
        lastSample = Optional.of(now);
    }

    /** True when at least {@code interval} passed since the last sample (or there was none). */
    boolean due(Instant now, Duration interval) {
        return lastSample.map(t -> Duration.between(t, now).compareTo(interval) >= 0).orElse(true);
    }

    /** How long until {@link #due} (zero when it is). */
    Duration untilDue(Instant now, Duration interval) {
        return lastSample.map(t -> Duration.between(now, t.plus(interval))).filter(d -> !d.isNegative()).orElse(Duration.ZERO);
    }

    /** Its condition held on the last sample, and it has not fired since. */
    boolean pending() {
        return since.isPresent();
    }

    Duration heldFor(Instant now) {
        return since.map(s -> Duration.between(s, now)).orElse(Duration.ZERO);
    }

    int consecutive() {
        return consecutive;
    }

    private void reset() {
        since = Optional.empty();
        consecutive = 0;
    }
}
