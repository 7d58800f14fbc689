package dev.opsctl.engine.execute;

import java.time.Duration;
import java.util.Optional;

/**
 * A step's line to the hooks while it watches ({@code monitor}) or waits ({@code sleep}, {@code wait}
 * and every other pause through {@link dev.opsctl.action.StepContext#sleep}): each tick, and during a
 * pause every {@code every} (the shortest interval of the run's probe triggers), asks
 * {@link HostHooks#whileWatching}. A verdict that stops ends the watch and is kept here, as the host's
 * recorded intent, for the host loop to apply once the step has returned; the step itself never acts on
 * it. Under {@code --dry-run-triggers} the verdict is only reported and the watch goes on.
 * Confined to the host's thread.
 */
final class StepWatch {
    /** Asks the hooks once. */
    @FunctionalInterface
    interface Sampler {
        HookVerdict sample() throws InterruptedException;
    }

    /** Reports a verdict without acting on it (dry-run triggers). */
    @FunctionalInterface
    interface Reporter {
        void report(HookVerdict v);
    }

    static final StepWatch NONE = new StepWatch(() -> HookVerdict.CONTINUE, v -> {}, false, Optional.empty());

    private final Sampler sampler;
    private final Reporter reporter;
    private final boolean reportOnly;
    private final Optional<Duration> every;
    private Optional<HookVerdict> fired = Optional.empty();

    StepWatch(Sampler sampler, Reporter reporter, boolean reportOnly, Optional<Duration> every) {
        this.sampler = sampler;
        this.reporter = reporter;
        this.reportOnly = reportOnly;
        this.every = every;
    }

    /** How often a pause samples the hooks; empty when the run has no probe trigger (a pause is then one sleep). */
    Optional<Duration> every() {
        return every;
    }

    /** Empty while nothing fired; else the reason, and the verdict is kept for {@link #fired()}. */
    Optional<String> sample() throws InterruptedException {
        HookVerdict v = sampler.sample();
        if (v.proceed()) {
            return Optional.empty();
        }
        if (reportOnly && v.fired().isPresent()) {
            reporter.report(v);
            return Optional.empty();
        }
        fired = Optional.of(v);
        return Optional.of(v.reason());
    }

    Optional<HookVerdict> fired() {
        return fired;
    }
}
