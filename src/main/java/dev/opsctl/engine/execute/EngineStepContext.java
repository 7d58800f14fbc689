package dev.opsctl.engine.execute;

import dev.opsctl.action.StepContext;
import dev.opsctl.action.WatchOutcome;
import dev.opsctl.action.WatchTick;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.Sudo;
import dev.opsctl.target.Target;
import dev.opsctl.template.Condition;
import dev.opsctl.template.MapScope;
import dev.opsctl.template.Quoting;
import dev.opsctl.template.Template;
import dev.opsctl.template.TemplateException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** The {@link StepContext} the engine hands a step: one per host and attempt. */
record EngineStepContext(
        String host,
        Target target,
        Map<String, Object> variables,
        Optional<Duration> timeout,
        Sudo sudo,
        String runId,
        Path runDir,
        Clock clock,
        Sleeper sleeper,
        Consumer<String> progressSink,
        UnaryOperator<String> masker,
        StepWatch stepWatch,
        String stepId,
        StepDialog dialog) implements StepContext {

    /** As the SPI's default, plus the hooks sampled on every tick; returns as soon as a verdict stops the host. */
    @Override
    public WatchOutcome watch(Duration duration, Duration interval, WatchTick tick) throws TargetException, InterruptedException {
        java.time.Instant end = clock.instant().plus(duration);
        int samples = 0;
        while (true) {
            Optional<String> failed = tick.check();
            samples++;
            if (failed.isPresent()) {
                return WatchOutcome.failed(masker.apply(failed.get()), samples);
            }
            Optional<String> fired = stepWatch.sample();
            if (fired.isPresent()) {
                return WatchOutcome.fired(masker.apply(fired.get()), samples);
            }
            Duration left = Duration.between(clock.instant(), end);
            if (left.isNegative() || left.isZero()) {
                return WatchOutcome.quiet(samples);
            }
            sleeper.sleep(left.compareTo(interval) < 0 ? left : interval);
        }
    }

    @Override
    public String render(String template) throws TemplateException {
        return render(template, variables);
    }

    static String render(String template, Map<String, Object> variables) throws TemplateException {
        return Template.parse(template).render(new MapScope(variables), Quoting.NONE);
    }

    @Override
    public String renderCommand(String template) throws TemplateException {
        return Template.parse(template).render(new MapScope(variables), Quoting.SHELL);
    }

    @Override
    public boolean test(String condition, Map<String, Object> extra) throws TemplateException {
        return evaluate(condition, variables, extra);
    }

    static boolean evaluate(String condition, Map<String, Object> variables, Map<String, Object> extra)
            throws TemplateException {
        Map<String, Object> all = new HashMap<>(variables);
        all.putAll(extra);
        return Condition.parse(condition).test(new MapScope(all));
    }

    /**
     * Sleeps {@code d}; when the run has probe triggers, in slices of their shortest interval, sampling them
     * after each, so a long {@code wait} or {@code sleep} notices a failing probe within one interval. A
     * trigger that fires ends the pause with an InterruptedException; the step runner sees the watch's
     * verdict and ends the step, and the host loop applies the trigger's action as after a {@code monitor}.
     */
    @Override
    public void sleep(Duration d) throws InterruptedException {
        if (stepWatch.every().isEmpty()) {
            sleeper.sleep(d);
            return;
        }
        Duration every = stepWatch.every().get();
        java.time.Instant end = clock.instant().plus(d);
        while (true) {
            Duration left = Duration.between(clock.instant(), end);
            if (left.isNegative() || left.isZero()) {
                return;
            }
            sleeper.sleep(left.compareTo(every) < 0 ? left : every);
            if (stepWatch.sample().isPresent()) {
                throw new InterruptedException("a trigger fired");
            }
        }
    }

    @Override
    public void progress(String line) {
        progressSink.accept(masker.apply(line));
    }

    @Override
    public boolean confirm(String question) throws InterruptedException {
        return dialog.confirm(host, stepId, masker.apply(question));
    }

    @Override
    public void notice(String level, String message) {
        dialog.notice(host, level, message);
    }

    @Override
    public String mask(String text) {
        return masker.apply(text);
    }
}
