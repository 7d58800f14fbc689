package dev.opsctl.engine.fakes;

import dev.opsctl.action.ActionType;
import dev.opsctl.action.ParseContext;
import dev.opsctl.action.StepContext;
import dev.opsctl.action.StepResult;
import dev.opsctl.source.Node;
import dev.opsctl.target.TargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A step type whose steps play a script per host; records every call as {@code host:step}. */
public final class FakeAction implements ActionType<FakeAction.Script> {
    /** What one step does; {@code call} counts this step's calls on this host from 1. */
    @FunctionalInterface
    public interface Script {
        StepResult run(StepContext ctx, int call) throws Exception;
    }

    private final List<String> calls = new ArrayList<>();
    private final String stepId;
    private volatile String name = "fake";

    public FakeAction(String stepId) {
        this.stepId = stepId;
    }

    /** Poses as the step type {@code name} (e.g. {@code kube}, for what a run decides by type name). */
    public FakeAction named(String n) {
        this.name = n;
        return this;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "a scripted step for tests";
    }

    @Override
    public String example() {
        return "fake: {}";
    }

    @Override
    public Optional<Script> parse(Node node, ParseContext ctx) {
        return Optional.empty();
    }

    @Override
    public StepResult execute(Script spec, StepContext ctx) throws TargetException, InterruptedException {
        int call;
        synchronized (calls) {
            calls.add(ctx.host() + ":" + stepId);
            call = (int) calls.stream().filter(c -> c.equals(ctx.host() + ":" + stepId)).count();
        }
        try {
            return spec.run(ctx, call);
        } catch (TargetException | InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            return StepResult.failed(e.toString(), java.util.Map.of());
        }
    }

    @Override
    public String summary(Script spec) {
        return "fake " + stepId;
    }

    public List<String> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }
}
