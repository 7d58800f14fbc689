package dev.opsctl.engine.fakes;

import dev.opsctl.action.Invocation;
import dev.opsctl.action.TemplatedDuration;
import dev.opsctl.action.StepResult;
import dev.opsctl.runbook.model.RunOn;
import dev.opsctl.runbook.model.Step;
import dev.opsctl.source.SourcePos;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Builds a test step with every option at its default. */
public final class TestSteps {
    private final String id;
    private final FakeAction type;
    private final FakeAction.Script script;
    private Optional<String> when = Optional.empty();
    private int retries;
    private TemplatedDuration delay = TemplatedDuration.of(Duration.ZERO);
    private Optional<String> until = Optional.empty();
    private Optional<Duration> timeout = Optional.empty();
    private Optional<String> register = Optional.empty();
    private boolean ignoreErrors;
    private boolean sudo;
    private Optional<Duration> estimate = Optional.empty();
    private boolean idempotent;
    private RunOn runOn = RunOn.HOST;

    private TestSteps(String id, FakeAction.Script script) {
        this.id = id;
        this.type = new FakeAction(id);
        this.script = script;
    }

    public static TestSteps step(String id, FakeAction.Script script) {
        return new TestSteps(id, script);
    }

    public static TestSteps ok(String id) {
        return step(id, (ctx, call) -> StepResult.changed("did " + id, Map.of()));
    }

    public FakeAction type() {
        return type;
    }

    /** The step poses as this step type (the run sees {@code kube} and takes the cluster lock). */
    public TestSteps ofType(String name) {
        type.named(name);
        return this;
    }

    public TestSteps when(String w) {
        when = Optional.of(w);
        return this;
    }

    public TestSteps retries(int n, Duration d) {
        retries = n;
        delay = TemplatedDuration.of(d);
        return this;
    }

    /** Retries {@code delayTemplate} apart, rendered when the step runs ({@code "{{ poll }}"}). */
    public TestSteps retries(int n, String delayTemplate) {
        retries = n;
        delay = new TemplatedDuration(Duration.ZERO, Optional.of(delayTemplate));
        return this;
    }

    public TestSteps until(String u) {
        until = Optional.of(u);
        return this;
    }

    public TestSteps timeout(Duration t) {
        timeout = Optional.of(t);
        return this;
    }

    public TestSteps register(String r) {
        register = Optional.of(r);
        return this;
    }

    public TestSteps ignoreErrors() {
        ignoreErrors = true;
        return this;
    }

    public TestSteps sudo() {
        sudo = true;
        return this;
    }

    public TestSteps estimate(Duration e) {
        estimate = Optional.of(e);
        return this;
    }

    public TestSteps idempotent() {
        idempotent = true;
        return this;
    }

    public TestSteps onController() {
        runOn = RunOn.CONTROLLER;
        return this;
    }

    public Step build() {
        return new Step(id, Optional.empty(), new Invocation<>(type, script), when, retries, delay, until, timeout, register,
                ignoreErrors, sudo, estimate, idempotent, runOn, Map.of(), SourcePos.NONE);
    }
}
