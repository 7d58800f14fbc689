package dev.opsctl.engine.execute;

import dev.opsctl.action.Invocation;
import dev.opsctl.action.StepResult;
import dev.opsctl.action.StepResult.Outcome;
import dev.opsctl.action.TemplatedDuration;
import dev.opsctl.event.EventSink;
import dev.opsctl.event.RunEvent;
import dev.opsctl.inventory.Host;
import dev.opsctl.runbook.model.RunOn;
import dev.opsctl.runbook.model.Step;
import dev.opsctl.source.Durations;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.Sudo;
import dev.opsctl.target.Target;
import dev.opsctl.target.TargetException;
import dev.opsctl.template.TemplateException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Runs one step on one host: {@code when}, attempts with {@code retries}/{@code delay}/{@code until},
 * the timeout watch, and the step-started/step-finished events (the journal fsyncs them, so
 * step-started is on disk before the action runs).
 */
final class StepRunner {
    /**
     * A step's end: its result, or {@code interrupted} (Ctrl-C) with no result to trust. {@code mayStillRun}: the
     * connection broke under the step's command and nothing stopped it, so it may still be running on the host;
     * nothing may be run there beside it (no retry, no rollback, no next step, whatever {@code ignore_errors} says).
     */
    record StepRun(StepResult result, boolean interrupted, boolean ignored, boolean mayStillRun) {}

    private final EventSink events;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Watchdog watchdog;
    private final RunOptions options;
    private final UnaryOperator<String> mask;
    private final StepDialog dialog;

    StepRunner(EventSink events, Clock clock, Sleeper sleeper, Watchdog watchdog, RunOptions options, UnaryOperator<String> mask,
            Operator operator) {
        this.events = events;
        this.clock = clock;
        this.sleeper = sleeper;
        this.watchdog = watchdog;
        this.options = options;
        this.mask = mask;
        this.dialog = new OperatorDialog(options, events, clock, operator, mask);
    }

    StepRun run(Host host, Step step, Target target, Map<String, Object> variables) {
        return run(host, step, target, variables, StepWatch.NONE);
    }

    StepRun run(Host host, Step step, Target target, Map<String, Object> variables, StepWatch watch) {
        StepResult result;
        if (options.dryRun()) {
            return finish(host, step, skipped("dry run: " + step.action().summary()), false);
        }
        if (step.when().isPresent()) {
            try {
                if (!EngineStepContext.evaluate(step.when().get(), variables, Map.of())) {
                    return finish(host, step, skipped("skipped: 'when' is false: " + step.when().get()), false);
                }
            } catch (TemplateException e) {
                return finish(host, step, StepResult.failed("cannot evaluate 'when' of step '" + step.id() + "': "
                        + e.getMessage(), Map.of()), false);
            }
        }
        int attempts = step.retries() + 1;
        for (int attempt = 1; ; attempt++) {
            events.accept(new RunEvent.StepStarted(options.runId(), clock.instant(), host.name(), step.id(),
                    mask.apply(step.title()), attempt, mask.apply(step.action().summary())));
            Attempt a = attempt(host, step, target, variables, watch);
            if (a.interrupted) {
                return finish(host, step, a.result, true);
            }
            result = a.result;
            String retryWhy = retryReason(step, result, variables);
            if (retryWhy.isEmpty() || attempt >= attempts || result.outcome() == Outcome.UNREACHABLE) {
                if (!retryWhy.isEmpty() && result.succeeded()) {
                    result = result.withOutcome(Outcome.FAILED, retryWhy + " after " + attempts
                            + (attempts == 1 ? " attempt" : " attempts"));
                }
                return finish(host, step, result, false, a.mayStillRun);
            }
            if (a.notStarted) {
                // sudo or the login shell refused it: nothing ran, and another attempt is refused the same way; the
                // message keeps its fix last, where the report looks for it
                events.accept(new RunEvent.Notice(options.runId(), clock.instant(), "info", host.name(), "step '" + step.id()
                        + "' attempt " + attempt + " of " + attempts + ": not retried: the host refuses to start its command the same "
                        + "way each time"));
                return finish(host, step, result, false);
            }
            if ((result.outcome() == Outcome.CONNECTION_LOST || a.mayStillRun) && !step.idempotent()) {
                // its command may have run in part, or still run: another attempt could do its work twice, or beside it
                return finish(host, step, result.withOutcome(result.outcome(), result.message() + "; not retried (attempt "
                        + attempt + " of " + attempts + "): the step is not idempotent"), false, a.mayStillRun);
            }
            Duration delay;
            try {
                delay = step.delay().resolve(t -> EngineStepContext.render(t, variables), mask,
                        "'delay' of step '" + step.id() + "'");
            } catch (TemplatedDuration.Invalid e) {
                return finish(host, step, StepResult.failed(e.getMessage() + "; not retried (attempt " + attempt + " of " + attempts
                        + ": " + mask.apply(retryWhy) + ")", Map.of()), false);
            }
            events.accept(new RunEvent.Notice(options.runId(), clock.instant(), "info", host.name(),
                    "step '" + step.id() + "' attempt " + attempt + " of " + attempts + ": " + mask.apply(retryWhy)
                            + "; retrying in " + Durations.format(delay)));
            try {
                sleeper.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return finish(host, step, result, true);
            }
        }
    }

    /**
     * Runs a probe (a trigger's) for a host as a step would run, without step events: the same context
     * and target, within {@code timeout}. Its failure is a result, never an exception; Ctrl-C is. A probe
     * whose connection broke under it is not sent again: what it ran (a command, a docker exec) may have
     * changed something, may still be running, or may have run to its end, and opsctl cannot tell a command
     * that only reads from one that does not (calls a target knows to be reads, a Docker inspect or list, are
     * asked again by the target itself). Its result is connection_lost, as an unreachable host's is
     * unreachable: a probe that could not check (never a healthy one).
     */
    StepResult probe(Host host, Invocation<?> probe, Target target, Map<String, Object> variables, Duration timeout)
            throws InterruptedException {
        EngineStepContext ctx = new EngineStepContext(host.name(), target, variables, java.util.Optional.of(timeout), Sudo.NONE,
                options.runId(), options.runDir(), clock, sleeper, line -> {}, mask, StepWatch.NONE, "", StepDialog.NONE);
        Instant start = clock.instant();
        Watchdog.Watch watch = watchdog.arm(timeout.plus(options.timeoutGrace()));
        StepResult r;
        try (watch) {
            r = probe.execute(ctx);
        } catch (InterruptedException e) {
            if (!watch.fired() || options.stop().requested()) {
                throw e;
            }
            r = new StepResult(Outcome.TIMED_OUT, -1, "", "", "probe timed out after " + Durations.format(timeout), Map.of(),
                    Duration.ZERO);
        } catch (TargetException e) {
            r = watch.fired() && !options.stop().requested()
                    ? new StepResult(Outcome.TIMED_OUT, -1, "", "", "probe timed out after " + Durations.format(timeout), Map.of(),
                            Duration.ZERO)
                    : new StepResult(outcomeOf(e), -1, "", "", e.getMessage(), Map.of(), Duration.ZERO).withTargetFailed();
        } catch (RuntimeException e) {
            // no answer either: never judged as one
            r = StepResult.failed("internal error in probe type '" + probe.typeName() + "': " + e, Map.of()).withTargetFailed();
        }
        return r.elapsed().isZero() ? r.withElapsed(Duration.between(start, clock.instant())) : r;
    }

    /** Empty when the attempt is good; else why another attempt is needed. */
    private static String retryReason(Step step, StepResult result, Map<String, Object> variables) {
        if (!result.succeeded()) {
            return result.message().isEmpty() ? "step failed" : result.message();
        }
        if (step.until().isEmpty()) {
            return "";
        }
        Map<String, Object> extra = new HashMap<>(result.fields());
        step.register().ifPresent(r -> extra.put(r, result.fields()));
        try {
            return EngineStepContext.evaluate(step.until().get(), variables, extra) ? "" : "'until' is still false: "
                    + step.until().get();
        } catch (TemplateException e) {
            return "cannot evaluate 'until': " + e.getMessage();
        }
    }

    /** {@code notStarted}: the host refused to start its command ({@link TargetException#notStarted()}). */
    private record Attempt(StepResult result, boolean interrupted, boolean mayStillRun, boolean notStarted) {}

    private Attempt attempt(Host host, Step step, Target target, Map<String, Object> variables, StepWatch stepWatch) {
        Sudo sudo = HostSudo.of(host, step.runOn() != RunOn.CONTROLLER, step.sudo(), options.sudoPassword());
        EngineStepContext ctx = new EngineStepContext(host.name(), target, variables, step.timeout(), sudo,
                options.runId(), options.runDir(), clock, sleeper,
                line -> events.accept(new RunEvent.StepOutput(options.runId(), clock.instant(), host.name(), step.id(),
                        "progress", line)), mask, stepWatch, step.id(), dialog);
        Instant start = clock.instant();
        StepResult r;
        boolean interrupted = false;
        boolean mayStillRun = false;
        boolean notStarted = false;
        Watchdog.Watch watch = step.timeout().map(t -> watchdog.arm(t.plus(options.timeoutGrace()))).orElseGet(Watchdog::none);
        try (watch) {
            r = step.action().execute(ctx);
            mayStillRun = r.commandMayStillRun();
            if (watch.fired() && r.outcome() != Outcome.TIMED_OUT) {
                r = r.withOutcome(Outcome.TIMED_OUT, timedOut(step));
            } else if (endedByTrigger(stepWatch)) {
                // a step that caught the pause's interrupt (or a monitor that saw the trigger) still ended because of it
                Thread.interrupted();
                r = r.succeeded() ? r.withOutcome(Outcome.FAILED, endedEarly(stepWatch)) : r;
            }
        } catch (InterruptedException e) {
            if (watch.fired() && !options.stop().requested()) {
                // an interrupted call does not say whether its command was stopped
                r = new StepResult(Outcome.TIMED_OUT, -1, "", "", timedOut(step, false), Map.of(), Duration.ZERO);
            } else if (endedByTrigger(stepWatch)) {
                r = new StepResult(Outcome.FAILED, -1, "", "", endedEarly(stepWatch), Map.of(), Duration.ZERO);
            } else {
                interrupted = true;
                r = new StepResult(Outcome.FAILED, -1, "", "", "interrupted", Map.of(), Duration.ZERO);
            }
        } catch (TargetException e) {
            Outcome o = outcomeOf(e);
            mayStillRun = StepResult.mayStillRun(e);
            notStarted = e.notStarted();
            // not the output so far: a step's target call may be a file read (base64 no mask matches)
            r = new StepResult(o, -1, "", "", e.getMessage(), Map.of(), Duration.ZERO);
            if (watch.fired() && !options.stop().requested()) {
                // the watchdog's interrupt ended the call: sshj reports it as an error of its own ("interruptedException");
                // a call still connecting had no command running; a lost connection's error says what became of the
                // command (stopped from a new connection, or why not), which "did not end after TERM and KILL" is not
                r = r.withOutcome(Outcome.TIMED_OUT, o == Outcome.UNREACHABLE ? timedOut(step) + " while connecting to the host"
                        : o == Outcome.CONNECTION_LOST ? timedOut(step) + "; " + e.getMessage() : timedOut(step, false));
            }
        } catch (RuntimeException e) {
            r = StepResult.failed("internal error in step type '" + step.action().typeName() + "': " + e
                    + " (this is a bug; rerun with --debug for the stack trace)", Map.of());
        }
        if (interrupted || options.stop().requested()) {
            interrupted = true;
            Thread.currentThread().interrupt();
        }
        if (r.elapsed().isZero()) {
            r = r.withElapsed(Duration.between(start, clock.instant()));
        }
        return new Attempt(r, interrupted, mayStillRun, notStarted && !interrupted && r.outcome() == Outcome.FAILED);
    }

    private static Outcome outcomeOf(TargetException e) {
        Outcome o = StepResult.outcomeOf(e);
        // a target's own time limit thrown through is a failed call; timed_out is the step's timeout (the watchdog's)
        return o == Outcome.TIMED_OUT ? Outcome.FAILED : o;
    }

    /** A trigger fired during one of the step's pauses (not a Ctrl-C): the step ends, the host loop applies the trigger. */
    private boolean endedByTrigger(StepWatch stepWatch) {
        return stepWatch.fired().isPresent() && !options.stop().requested();
    }

    private String endedEarly(StepWatch stepWatch) {
        return "ended early: " + mask.apply(stepWatch.fired().orElseThrow().reason());
    }

    private static String timedOut(Step step) {
        return "timed out after " + Durations.format(step.timeout().orElse(Duration.ZERO));
    }

    /** In ExecResult's words, so that a command its step's watchdog ended reads as one its target's timeout ended. */
    private static String timedOut(Step step, boolean stopped) {
        return timedOut(step) + "; " + new ExecResult(-1, "", "", Duration.ZERO, true, false, !stopped).stoppedOrNot();
    }

    private static StepResult skipped(String why) {
        return new StepResult(Outcome.SKIPPED, 0, "", "", why, Map.of(), Duration.ZERO);
    }

    private StepRun finish(Host host, Step step, StepResult result, boolean interrupted) {
        return finish(host, step, result, interrupted, false);
    }

    private StepRun finish(Host host, Step step, StepResult result, boolean interrupted, boolean mayStillRun) {
        boolean ignored = !interrupted && !result.succeeded() && step.ignoreErrors() && !mayStillRun;
        EventResult shown = EventResult.of(result, mask);
        String outcome = interrupted ? "interrupted" : result.outcome().name().toLowerCase(java.util.Locale.ROOT);
        events.accept(new RunEvent.StepFinished(options.runId(), clock.instant(), host.name(), step.id(), outcome,
                result.rc(), result.elapsed().toMillis(), mask.apply(result.message()), shown.fields(), ignored, shown.incomplete()));
        return new StepRun(result, interrupted, ignored, mayStillRun);
    }
}
