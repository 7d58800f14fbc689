package dev.opsctl.app;

import dev.opsctl.engine.execute.RunOptions;
import dev.opsctl.engine.execute.StopSignal;
import dev.opsctl.engine.journal.RunId;
import dev.opsctl.engine.journal.RunStore;
import dev.opsctl.event.EventSink;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * {@code opsctl run}: loads, checks, locks, journals and runs a runbook; returns the exit code.
 * Refusals (bad params, a held lock) throw {@link OpsctlException} with their exit code.
 */
public final class RunService {
    private final Env env;
    private final PlanService plans;
    private final Execution execution;
    private final RandomGenerator random;

    RunService(Env env, PlanService plans, Execution execution, RandomGenerator random) {
        this.env = env;
        this.plans = plans;
        this.execution = execution;
        this.random = random;
    }

    public int run(RunRequest request, EventSink sink) throws OpsctlException {
        return run(request, sink, new StopSignal());
    }

    /** As {@link #run(RunRequest, EventSink)}; {@code stop.request()} (from a Ctrl-C handler) stops it with exit 130. */
    public int run(RunRequest request, EventSink sink, StopSignal stop) throws OpsctlException {
        PlanService.Prepared p = plans.prepare(request);
        Instant started = env.clock().instant();
        String runId = RunId.next(started, env.clock().getZone(), random);
        RunOptions o = new RunOptions(runId, new RunStore(env.stateDir()).runDir(runId), env.operator(), started,
                env.clock().getZone(), request.forks(), request.ignoreWindow(), request.dryRun(), request.sudoPassword(),
                env.environment(), RunOptions.DEFAULT_GRACE, false, stop).withDryRunTriggers(request.dryRunTriggers())
                .withConfirms(request.answers().confirms());
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("forks", request.forks());
        options.put("ignoreWindow", request.ignoreWindow());
        options.put("dryRunTriggers", request.dryRunTriggers());
        options.put("confirms", request.answers().confirms());
        options.put(RunNotifiers.COUNT_OPTION, request.notifyUrls().size());
        request.cluster().addTo(options);
        var header = Execution.header(runId, p.runbook(), p.params(), request.inventory().map(x -> x.toAbsolutePath().toString()),
                p.hosts(), request.limit(), options, env.operator(), started);
        var notify = RunNotifiers.of(request, p.runbook(), p.params());
        return execution.execute(new Execution.Job(p.runbook(), p.plan().batches(), p.params(), header, o, Map.of(), request.answers(),
                request.cluster(), notify, java.util.Set.of()), sink);
    }
}
