package dev.opsctl.engine.fakes;

import dev.opsctl.engine.execute.HostHooks;
import dev.opsctl.engine.execute.HostResume;
import dev.opsctl.engine.execute.Operator;
import dev.opsctl.engine.trigger.TriggerHooks;
import dev.opsctl.engine.execute.RunEngine;
import dev.opsctl.engine.execute.RunInput;
import dev.opsctl.engine.execute.RunOptions;
import dev.opsctl.engine.execute.RunOutcome;
import dev.opsctl.engine.execute.StopSignal;
import dev.opsctl.engine.plan.PlanOptions;
import dev.opsctl.engine.plan.Planner;
import dev.opsctl.event.EventBus;
import dev.opsctl.event.EventSink;
import dev.opsctl.inventory.Host;
import dev.opsctl.runbook.model.Runbook;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One engine run with fakes: fake clock and sleeper, recorded events, fake targets. */
public final class Harness {
    public final FakeClock clock;
    public final RecordingSink events = new RecordingSink();
    public final FakeTargets targets;
    public HostHooks hooks = HostHooks.NONE;
    public int forks = 50;
    public boolean ignoreWindow;
    public StopSignal stop = new StopSignal();
    public Duration grace = Duration.ZERO;
    public String runId = "20261122-030000-abcd";
    public Path runDir = Path.of("/nonexistent/run");
    public Map<String, HostResume> resume = Map.of();
    public final EventBus bus = new EventBus();
    public Operator operator = Operator.ABSENT;
    public boolean dryRunTriggers;
    /** Set: the runbook's triggers are wired as the app does, after {@link #hooks}. */
    public boolean triggers = true;

    public Harness(FakeClock clock, FakeTargets targets) {
        this.clock = clock;
        this.targets = targets;
        bus.subscribe(events);
    }

    public Harness() {
        this(new FakeClock(), new FakeTargets());
    }

    public Harness subscribe(EventSink sink) {
        bus.subscribe(sink);
        return this;
    }

    public RunOutcome run(Runbook rb, List<Host> hosts) {
        return run(rb, hosts, Map.of());
    }

    public RunOutcome run(Runbook rb, List<Host> hosts, Map<String, Object> params) {
        var plan = new Planner().plan(rb, hosts, new PlanOptions(forks));
        HostHooks all = triggers
                ? HostHooks.all(List.of(hooks, new TriggerHooks(rb.triggers(), clock, clock.sleeper(), bus,
                        java.util.function.UnaryOperator.identity())))
                : hooks;
        return new RunEngine(targets, bus, all, clock, clock.sleeper(), operator).run(new RunInput(rb, plan.batches(), params, options(), resume));
    }

    /** {@code opsctl runs rollback} of {@code hosts}, from the scopes in {@link #resume}. */
    public RunOutcome rollback(Runbook rb, List<Host> hosts) {
        var plan = new Planner().plan(rb, hosts, new PlanOptions(forks));
        return new RunEngine(targets, bus, hooks, clock, clock.sleeper(), operator)
                .rollback(new RunInput(rb, plan.batches(), Map.of(), options(), resume), hosts);
    }

    private RunOptions options() {
        return new RunOptions(runId, runDir, "alice", clock.instant(), clock.getZone(), forks, ignoreWindow, false,
                Optional.empty(), Map.of("HOME", "/home/alice"), grace, !resume.isEmpty(), stop).withDryRunTriggers(dryRunTriggers);
    }
}
