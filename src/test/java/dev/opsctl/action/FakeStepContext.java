package dev.opsctl.action;

import dev.opsctl.target.Sudo;
import dev.opsctl.target.Target;
import dev.opsctl.template.Condition;
import dev.opsctl.template.MapScope;
import dev.opsctl.template.Masker;
import dev.opsctl.template.Quoting;
import dev.opsctl.template.Template;
import dev.opsctl.template.TemplateException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A step context for step-type tests: variables in a plain map, the real template engine, a clock
 * that only moves when the step sleeps, and every progress line and sleep recorded.
 */
public final class FakeStepContext implements StepContext {
    public final Map<String, Object> vars = new LinkedHashMap<>();
    public final List<String> progress = Collections.synchronizedList(new ArrayList<>());
    public final List<Duration> sleeps = new ArrayList<>();
    /** Every question a step asked, and every notice it gave ("level|message", masked). */
    public final List<String> questions = new ArrayList<>();
    public final List<String> notices = new ArrayList<>();
    /** What the operator answers; null: nobody to ask (the SPI default, false). */
    public Boolean answer;
    public final FakeClock clock = new FakeClock(Instant.parse("2026-11-22T02:30:15Z"));
    private final Target target;
    private final Path runDir;
    private Optional<Duration> timeout = Optional.empty();
    private Sudo sudo = Sudo.NONE;
    private Masker masker = Masker.NONE;

    public FakeStepContext(Target target, Path runDir) {
        this.target = target;
        this.runDir = runDir;
    }

    public FakeStepContext withTimeout(Duration t) {
        timeout = Optional.of(t);
        return this;
    }

    public FakeStepContext withSudo(Sudo s) {
        sudo = s;
        return this;
    }

    public FakeStepContext withSecret(String name, String value) {
        vars.put(name, new dev.opsctl.source.Secret(value));
        masker = masker.plus(List.of(value));
        return this;
    }

    public FakeStepContext set(String name, Object value) {
        vars.put(name, value);
        return this;
    }

    /** Records a finished step's fields as {@code steps.<id>}, as the engine does. */
    @SuppressWarnings("unchecked")
    public FakeStepContext recordStep(String id, StepResult result) {
        ((Map<String, Object>) vars.computeIfAbsent("steps", k -> new LinkedHashMap<String, Object>())).put(id, result.fields());
        return this;
    }

    @Override
    public String host() {
        return target.host();
    }

    @Override
    public Target target() {
        return target;
    }

    @Override
    public String render(String template) throws TemplateException {
        return Template.parse(template).render(new MapScope(vars), Quoting.NONE);
    }

    @Override
    public String renderCommand(String template) throws TemplateException {
        return Template.parse(template).render(new MapScope(vars), Quoting.SHELL);
    }

    @Override
    public boolean test(String condition, Map<String, Object> extra) throws TemplateException {
        Map<String, Object> scope = new LinkedHashMap<>(vars);
        scope.putAll(extra);
        return Condition.parse(condition).test(new MapScope(scope));
    }

    @Override
    public Optional<Duration> timeout() {
        return timeout;
    }

    @Override
    public Sudo sudo() {
        return sudo;
    }

    @Override
    public String runId() {
        return "run-test";
    }

    @Override
    public Path runDir() {
        return runDir;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public void sleep(Duration d) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        sleeps.add(d);
        clock.advance(d);
    }

    @Override
    public void progress(String line) {
        progress.add(line);
    }

    @Override
    public String mask(String text) {
        return masker.mask(text);
    }

    @Override
    public boolean confirm(String question) throws InterruptedException {
        questions.add(question);
        return answer == null ? StepContext.super.confirm(question) : answer;
    }

    @Override
    public void notice(String level, String message) {
        notices.add(level + "|" + mask(message));
    }

    /** A clock that stands still until advanced. */
    public static final class FakeClock extends Clock {
        private volatile Instant now;

        FakeClock(Instant start) {
            now = start;
        }

        public void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
