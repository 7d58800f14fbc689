package dev.opsctl.engine.execute;

import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.journal.RunId;
import dev.opsctl.engine.plan.HostBatch;
import dev.opsctl.engine.strategy.FailureBudget;
import dev.opsctl.engine.strategy.MaintenanceWindow;
import dev.opsctl.engine.strategy.OutOfService;
import dev.opsctl.event.EventSink;
import dev.opsctl.event.RunEvent;
import dev.opsctl.inventory.Host;
import dev.opsctl.runbook.model.Runbook;
import dev.opsctl.source.Secret;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Runs batches in order and the hosts of a batch concurrently, up to {@code forks}. No batch starts
 * after a failed host unless {@code continue_on_failure}; no host starts once more than
 * {@code max_failures} hosts failed, outside the maintenance window, or after Ctrl-C.
 * Emits events only; one instance per run.
 */
public final class RunEngine {
    private final TargetProvider targets;
    private final EventSink events;
    private final HostHooks hooks;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Operator operator;

    public RunEngine(TargetProvider targets, EventSink events, HostHooks hooks, Clock clock, Sleeper sleeper) {
        this(targets, events, hooks, clock, sleeper, Operator.ABSENT);
    }

    /** {@code operator}: who answers triggers that say {@code ask} or {@code pause}. */
    public RunEngine(TargetProvider targets, EventSink events, HostHooks hooks, Clock clock, Sleeper sleeper, Operator operator) {
        this.targets = targets;
        this.events = events;
        this.hooks = hooks;
        this.clock = clock;
        this.sleeper = sleeper;
        this.operator = operator;
    }

    public RunOutcome run(RunInput in) {
        RunOptions o = in.options();
        Runbook rb = in.runbook();
        Instant t0 = clock.instant();
        UnaryOperator<String> mask = Masks.forRun(in.params(), o.sudoPassword());
        List<String> hostNames = in.batches().stream().flatMap(b -> b.names().stream()).toList();
        events.accept(new RunEvent.RunStarted(o.runId(), t0, rb.name(), rb.file().toString(), rb.digest(), hostNames,
                shownParams(in.params(), mask), o.operator(), o.resumed()));
        Rollout rollout = new Rollout(FailureBudget.of(rb.strategy()), hostNames);
        rollout.onHalt(reason -> events.accept(new RunEvent.RunHalted(o.runId(), clock.instant(), mask.apply(reason))));
        Optional<MaintenanceWindow> window = rb.strategy().window().map(MaintenanceWindow::parse);
        try (Watchdog watchdog = new Watchdog()) {
            StepRunner steps = new StepRunner(events, clock, sleeper, watchdog, o, mask, operator);
            HostRollback rollbacks = new HostRollback(in, targets, events, clock, steps, mask);
            VerdictPoint verdicts = new VerdictPoint(o, events, clock, rollout, operator, rollbacks, mask);
            HostRunner hosts = new HostRunner(in, targets, events, hooks, clock, steps, rollout, window, runVars(o), mask, verdicts,
                    new OutOfService(rb.strategy().maxOutOfService()));
            if (in.rollbackAll().isPresent()) {
                new RollbackAll(events, clock, in).settle(in.rollbackAll().get(), rollout, hosts);
            } else {
                batches(in, rollout, hosts);
            }
            if (rollout.rollbackAll().isPresent() && !o.stop().requested()) {
                new RollbackAll(events, clock, in).run(rollout, rollbacks);
            }
            if (!o.stop().requested() && !rollout.halted() && rollout.failedCount() == 0) {
                HookVerdict after = hooks.afterRun(o.runId());
                if (!after.proceed()) {
                    rollout.hookExit(after.exitCode());
                    rollout.halt(after.reason());
                }
            }
        } catch (InterruptedException e) {
            o.stop().request();
        }
        return finish(in, rollout, t0, mask, "opsctl runs resume " + o.runId());
    }

    private void batches(RunInput in, Rollout rollout, HostRunner hosts) throws InterruptedException {
        RunOptions o = in.options();
        HookVerdict before = hooks.beforeRun(o.runId());
        if (!before.proceed()) {
            rollout.hookExit(before.exitCode());
            rollout.halt(before.reason());
        }
        for (HostBatch batch : in.batches()) {
            if (o.stop().requested() || rollout.halted()) {
                break;
            }
            if (batch.index() > 1 && !rollout.allowsNextBatch()) {
                rollout.halt("not starting batch " + batch.index() + " after " + rollout.failedCount()
                        + (rollout.failedCount() == 1 ? " failed host" : " failed hosts")
                        + " (continue_on_failure is off)");
                break;
            }
            events.accept(new RunEvent.BatchStarted(o.runId(), clock.instant(), batch.index(), in.batches().size(),
                    batch.names()));
            runBatch(batch, hosts, o);
        }
    }

    private void runBatch(HostBatch batch, HostRunner hosts, RunOptions o) throws InterruptedException {
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(o.forks(), batch.hosts().size()), r -> {
            Thread t = new Thread(r, "opsctl-host-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> running = new ArrayList<>();
            for (Host h : batch.hosts()) {
                running.add(pool.submit(() -> hosts.run(h)));
            }
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    // a journal that cannot be written, or a bug: the run must not pretend it went on
                    o.stop().request();
                    throw new EngineFailure(e.getCause());
                }
            }
        } catch (InterruptedException e) {
            o.stop().request();
            throw e;
        } finally {
            pool.shutdown();
        }
    }

    /**
     * {@code opsctl runs rollback}: the runbook's rollback steps for {@code hosts} of a journaled run, in
     * the order given, each host's scope rebuilt from its journaled results ({@code in.resume()}). Exit 3
     * when every rollback succeeded, 4 when one failed, 0 when there was nothing to roll back.
     */
    public RunOutcome rollback(RunInput in, List<Host> hosts) {
        RunOptions o = in.options();
        Runbook rb = in.runbook();
        Instant t0 = clock.instant();
        UnaryOperator<String> mask = Masks.forRun(in.params(), o.sudoPassword());
        List<String> names = hosts.stream().map(Host::name).toList();
        events.accept(new RunEvent.RunStarted(o.runId(), t0, rb.name(), rb.file().toString(), rb.digest(), names,
                shownParams(in.params(), mask), o.operator(), true));
        // every host named is rolled back whatever happened on the others: no max_failures here
        Rollout rollout = new Rollout(new FailureBudget(Integer.MAX_VALUE, true), names);
        try (Watchdog watchdog = new Watchdog()) {
            StepRunner steps = new StepRunner(events, clock, sleeper, watchdog, o, mask, operator);
            HostRollback rollbacks = new HostRollback(in, targets, events, clock, steps, mask);
            HostRunner scopes = new HostRunner(in, targets, events, hooks, clock, steps, rollout, Optional.empty(), runVars(o), mask,
                    new VerdictPoint(o, events, clock, rollout, operator, rollbacks, mask), new OutOfService(Optional.empty()));
            o.stop().enter();
            try {
                for (Host h : hosts) {
                    if (o.stop().requested()) {
                        break;
                    }
                    var r = rollbacks.reopen(h, scopes.scope(h, in.resumeOf(h.name())), "opsctl runs rollback by " + o.operator());
                    rollout.hookExit(r.succeeded() ? ExitCodes.ROLLED_BACK : ExitCodes.ROLLBACK_FAILED);
                    String message = r.succeeded() ? r.message() : r.message() + "; a human must act";
                    rollout.hostDone(h.name(), r.hostStatus(), Optional.of("host '" + h.name() + "': " + message));
                    events.accept(new RunEvent.HostFinished(o.runId(), clock.instant(), h.name(), r.hostStatus(), message));
                }
            } finally {
                o.stop().exit();
            }
        } catch (InterruptedException e) {
            o.stop().request();
        }
        String again = "opsctl runs rollback " + o.runId() + names.stream().map(h -> " --host " + h).collect(Collectors.joining());
        return finish(in, rollout, t0, mask, again);
    }

    /** {@code continueWith}: the command that picks up an interrupted run of this kind. */
    private RunOutcome finish(RunInput in, Rollout rollout, Instant t0, UnaryOperator<String> mask, String continueWith) {
        RunOptions o = in.options();
        Map<String, String> statuses = rollout.statuses();
        String status;
        int exit;
        String message;
        if (o.stop().requested()) {
            status = "interrupted";
            exit = ExitCodes.INTERRUPTED;
            message = "interrupted; see 'opsctl runs show " + o.runId() + "', continue with '" + continueWith + "'";
        } else if (rollout.hookExit() != ExitCodes.OK) {
            exit = rollout.hookExit();
            status = exit == ExitCodes.FAILED && rollout.failedCount() > 0 ? "failed"
                    : exit == ExitCodes.HUMAN_MUST_ACT && !statuses.containsValue("rollback_failed") ? "halted" : hookStatus(exit);
            message = String.join("; ", rollout.failures()) + rollout.haltReason().map(r -> "; " + r).orElse("");
        } else if (rollout.failedCount() > 0 || rollout.halted()) {
            exit = ExitCodes.FAILED;
            status = rollout.failedCount() > 0 ? "failed" : "halted";
            List<String> parts = new ArrayList<>(rollout.failures());
            rollout.haltReason().ifPresent(parts::add);
            message = String.join("; ", parts) + "; see 'opsctl runs show " + o.runId() + "', then 'opsctl runs resume "
                    + o.runId() + "'";
        } else {
            status = "ok";
            exit = ExitCodes.OK;
            message = "";
        }
        Instant end = clock.instant();
        events.accept(new RunEvent.RunFinished(o.runId(), end, status, exit, Duration.between(t0, end).toMillis(), statuses,
                mask.apply(message)));
        return new RunOutcome(o.runId(), status, exit, statuses, mask.apply(message));
    }

    private static String hookStatus(int exit) {
        return switch (exit) {
            case ExitCodes.ROLLED_BACK -> "rolled_back";
            case ExitCodes.ROLLBACK_FAILED -> "rollback_failed";
            case ExitCodes.GATE_FAILED -> "gate_failed";
            case ExitCodes.FAILED -> "halted";
            default -> "failed";
        };
    }

    private static Map<String, String> shownParams(Map<String, Object> params, UnaryOperator<String> mask) {
        Map<String, String> m = new LinkedHashMap<>();
        params.forEach((k, v) -> m.put(k, v instanceof Secret ? Secret.MASK : mask.apply(ParamText.format(v))));
        return m;
    }

    private Map<String, Object> runVars(RunOptions o) {
        Map<String, Object> m = new LinkedHashMap<>(o.runFields());
        m.put("id", o.runId());
        m.put("dir", o.runDir().toString());
        m.put("operator", o.operator());
        m.put("started", o.started().toString());
        m.put("timestamp", RunId.timestamp(o.started(), o.zone()));
        return Map.copyOf(m);
    }

    /** The engine itself broke (the journal cannot be written, a bug): the CLI maps it to exit 70. */
    public static final class EngineFailure extends RuntimeException {
        EngineFailure(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }
}
