package dev.opsctl.engine.execute;

import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.rollback.RollbackResult;
import dev.opsctl.engine.journal.JournalReader;
import dev.opsctl.event.EventSink;
import dev.opsctl.event.RunEvent;
import dev.opsctl.inventory.Host;
import dev.opsctl.runbook.model.TriggerAction;
import dev.opsctl.source.Durations;
import dev.opsctl.target.Target;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The one place where a host's verdicts are applied (Argo's pauseContext): a gate's stop, or a fired
 * trigger's action. For a trigger it reports the firing, asks the operator when the trigger says
 * {@code ask} or {@code pause}, then halts the rollout and/or rolls the host back. Hooks only decide;
 * nothing else in the host loop acts on a verdict. Thread-safe (each call is confined to its host).
 */
final class VerdictPoint {
    /** When {@code ask} has no {@code ask_timeout}. */
    static final Duration DEFAULT_ASK_TIMEOUT = Duration.ofMinutes(10);
    private static final String ROLLBACK = "rollback";
    private static final String CONTINUE = "continue";
    private static final String HALT = "halt";

    /**
     * What the host does after a verdict: go on ({@code continued}: an operator overrode a trigger), or
     * stop with a status; {@code failure} counts against {@code max_failures}; {@code backInService}:
     * the host is usable again (rolled back), which frees its {@code max_out_of_service} slot.
     */
    record Applied(boolean proceed, boolean continued, String status, String message, boolean failure, boolean backInService) {
        static final Applied GO_ON = new Applied(true, false, "", "", false, false);

        static Applied stop(String status, String message, boolean failure) {
            return new Applied(false, false, status, message, failure, false);
        }
    }

    private final RunOptions options;
    private final EventSink events;
    private final Clock clock;
    private final Rollout rollout;
    private final Operator operator;
    private final HostRollback rollbacks;
    private final UnaryOperator<String> mask;

    VerdictPoint(RunOptions options, EventSink events, Clock clock, Rollout rollout, Operator operator, HostRollback rollbacks,
            UnaryOperator<String> mask) {
        this.options = options;
        this.events = events;
        this.clock = clock;
        this.rollout = rollout;
        this.operator = operator;
        this.rollbacks = rollbacks;
        this.mask = mask;
    }

    Applied apply(Host host, HookVerdict v, HostScope scope, Target target) throws InterruptedException {
        if (v.proceed()) {
            return Applied.GO_ON;
        }
        if (v.fired().isEmpty()) {
            rollout.hookExit(v.exitCode());
            if (v.haltRollout()) {
                rollout.halt(v.reason());
            }
            return Applied.stop(v.hostStatus(), v.reason(), true);
        }
        HookVerdict.Fired f = v.fired().get();
        report(host, v);
        if (options.dryRunTriggers()) {
            return Applied.GO_ON;
        }
        return act(host, f, scope, target);
    }

    /**
     * A trigger that fired before opsctl stopped (its firing journaled, nothing after it): a resume does
     * what the trigger asked for then, asking the operator again for {@code ask} and {@code pause}.
     * Not reported again: the journal has its firing, with the evidence of that moment.
     */
    Applied carryOut(Host host, HookVerdict.Fired f, HostScope scope, Target target) throws InterruptedException {
        notice("warning", host, "trigger '" + f.trigger() + "' fired on host '" + host.name() + "' before opsctl stopped ("
                + mask.apply(f.evidence()) + "), and nothing was done about it yet: doing it now ('" + f.action().yamlName() + "')");
        return act(host, f, scope, target);
    }

    private Applied act(Host host, HookVerdict.Fired f, HostScope scope, Target target) throws InterruptedException {
        Optional<TriggerAction> action = decide(host, f);
        String why = "trigger '" + f.trigger() + "' fired on host '" + host.name() + "'";
        if (action.isEmpty()) {
            return new Applied(true, true, "", "", false, false);
        }
        Optional<String> halted = Optional.empty();
        switch (action.get()) {
            case ROLLBACK_ALL -> {
                rollout.halt(why + "; rolling back every host that ran");
                rollout.requestRollbackAll(why + ": " + f.evidence());
            }
            case ROLLBACK -> {
                if (!rollout.continuesAfterAnotherFailure()) {
                    // before the rollback runs, so that no host starts meanwhile; restated below once it is known how it went
                    halted = Optional.of(why + ": rolling it back; no further host starts");
                    rollout.halt(halted.get());
                }
            }
            default -> {
                rollout.hookExit(ExitCodes.FAILED);
                rollout.halt(why + "; halted, every host left as it is");
                return Applied.stop("halted", mask.apply(why + ": " + f.evidence() + "; halted, host left as it is"), false);
            }
        }
        // journaled so: a resume knows a rollback-all was decided once this rollback started (on_timeout of an ask too)
        String prefix = action.get() == TriggerAction.ROLLBACK_ALL ? JournalReader.ROLLBACK_ALL : "";
        RollbackResult r = rollbacks.run(host, scope, target, prefix + why + ": " + f.evidence());
        halted.ifPresent(h -> rollout.restateHalt(h, why + ": " + switch (r.status()) {
            case SUCCEEDED -> "rolled back";
            case FAILED -> "its rollback failed";
            case INTERRUPTED -> "its rollback was interrupted";
        } + "; no further host starts"));
        if (r.status() == RollbackResult.Status.INTERRUPTED) {
            return Applied.stop("interrupted", mask.apply(r.message()), false);
        }
        rollout.hookExit(r.succeeded() ? ExitCodes.ROLLED_BACK : ExitCodes.ROLLBACK_FAILED);
        String message = r.succeeded()
                ? "rolled back after " + why + ": " + f.evidence()
                : r.message() + " (after " + why + "); a human must act: see 'opsctl runs show " + options.runId() + "'";
        return new Applied(false, false, r.hostStatus(), mask.apply(message), true, r.succeeded());
    }

    /**
     * A step's command may still be running on the host: its connection broke, or it timed out, and nothing
     * stopped it (or could confirm it stopped). Nothing
     * is run there beside it, so a trigger that fired is reported but not acted on (no rollback of this host,
     * nobody asked); {@code rollback-all} still rolls the other hosts back. The rollout halts for a human (exit 4).
     */
    Applied leftRunning(Host host, String stepId, boolean lostConnection, HookVerdict v, String stepMessage) {
        report(host, v);
        Optional<HookVerdict.Fired> fired = v.fired().filter(f -> !options.dryRunTriggers());
        fired.filter(f -> f.action() == TriggerAction.ROLLBACK_ALL).ifPresent(f -> rollout.requestRollbackAll("trigger '"
                + f.trigger() + "' fired on host '" + host.name() + "': " + f.evidence()));
        String what = "step '" + stepId + "' " + (lostConnection
                ? "lost its connection mid-way: its command may still be running, or its change may have been applied"
                : "timed out and its command may still be running there");
        rollout.hookExit(ExitCodes.HUMAN_MUST_ACT);
        rollout.halt("halted: a command may still be running on host '" + host.name() + "' (step '" + stepId + "')");
        String id = options.runId();
        String message = what + ": " + stepMessage
                + fired.map(f -> "; trigger '" + f.trigger() + "' fired but the host was not rolled back").orElse("")
                + "; opsctl halted the rollout and left the host as it is: check the host, then 'opsctl runs rollback " + id
                + " --host " + host.name() + "' or 'opsctl runs resume " + id + " --rerun-interrupted'";
        return Applied.stop("halted", mask.apply(message), true);
    }

    /** Only reports (dry-run triggers during a watch). */
    void report(Host host, HookVerdict v) {
        v.fired().ifPresent(f -> events.accept(new RunEvent.TriggerFired(options.runId(), clock.instant(), host.name(), f.trigger(),
                f.action().yamlName(), mask.apply(f.evidence()), Masked.map(f.values(), mask), options.dryRunTriggers())));
        if (options.dryRunTriggers()) {
            v.fired().ifPresent(f -> notice("warning", host, "dry run: trigger '" + f.trigger() + "' would "
                    + f.action().yamlName() + " host '" + host.name() + "'; not acting (--dry-run-triggers)"));
        }
    }

    /** {@code ask} and {@code pause} resolved through the operator; empty means continue. */
    private Optional<TriggerAction> decide(Host host, HookVerdict.Fired f) throws InterruptedException {
        String fired = "trigger '" + f.trigger() + "' fired on host '" + host.name() + "': " + mask.apply(f.evidence());
        if (f.action() == TriggerAction.ASK) {
            Duration deadline = f.askTimeout().orElse(DEFAULT_ASK_TIMEOUT);
            if (!operator.present()) {
                notice("warning", host, fired + "; nobody to ask in a non-interactive run: doing '" + f.onAskTimeout().yamlName()
                        + "' (on_timeout)");
                return Optional.of(f.onAskTimeout());
            }
            Optional<String> answer = operator.choose(fired + "\nroll back this host, continue, or halt the rollout? (default '"
                    + f.onAskTimeout().yamlName() + "' in " + Durations.format(deadline) + ")", List.of(ROLLBACK, CONTINUE, HALT),
                    Optional.of(deadline));
            if (answer.isEmpty()) {
                notice("warning", host, "no answer within " + Durations.format(deadline) + ": doing '" + f.onAskTimeout().yamlName()
                        + "' (on_timeout)");
                return Optional.of(f.onAskTimeout());
            }
            return answered(host, f, answer.get());
        }
        if (f.action() == TriggerAction.PAUSE) {
            if (!operator.present()) {
                notice("warning", host, fired + "; paused with nobody to resume it in a non-interactive run: halting");
                return Optional.of(TriggerAction.HALT);
            }
            Optional<String> answer = operator.choose(fired + "\npaused: continue, roll back this host, or halt the rollout?",
                    List.of(CONTINUE, ROLLBACK, HALT), Optional.empty());
            return answer.isEmpty() ? Optional.of(TriggerAction.HALT) : answered(host, f, answer.get());
        }
        return Optional.of(f.action());
    }

    /**
     * The operator's answer, journaled with who gave it (the record's time is when): one of the choices
     * offered, never typed text. A resume that finds the trigger not yet acted on asks again.
     */
    private Optional<TriggerAction> answered(Host host, HookVerdict.Fired f, String answer) {
        notice(answer.equals(CONTINUE) ? "warning" : "info", host, "operator '" + options.operator() + "' answered '" + answer
                + "' to trigger '" + f.trigger() + "' on host '" + host.name() + "'" + (answer.equals(CONTINUE)
                        ? ": the host goes on although the trigger fired" : ""));
        return chosen(answer);
    }

    private static Optional<TriggerAction> chosen(String answer) {
        return switch (answer) {
            case CONTINUE -> Optional.empty();
            case ROLLBACK -> Optional.of(TriggerAction.ROLLBACK);
            default -> Optional.of(TriggerAction.HALT);
        };
    }

    private void notice(String level, Host host, String message) {
        events.accept(new RunEvent.Notice(options.runId(), clock.instant(), level, host.name(), message));
    }
}
