package dev.opsctl.engine.execute;

import dev.opsctl.event.EventSink;
import dev.opsctl.event.RunEvent;
import java.time.Clock;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The engine's {@link StepDialog}: a question is answered by the run's pre-answers first
 * ({@code --confirm ID}, or {@code --confirm ID@host} for one host), then by the operator when one is present; with neither it fails closed and
 * a notice says how to pre-answer. Every answer is a notice, so the journal records who said yes.
 * Thread-safe: the operator asks one question at a time.
 */
final class OperatorDialog implements StepDialog {
    private final RunOptions options;
    private final EventSink events;
    private final Clock clock;
    private final Operator operator;
    private final UnaryOperator<String> mask;

    OperatorDialog(RunOptions options, EventSink events, Clock clock, Operator operator, UnaryOperator<String> mask) {
        this.options = options;
        this.events = events;
        this.clock = clock;
        this.operator = operator;
        this.mask = mask;
    }

    @Override
    public boolean confirm(String host, String stepId, String question) throws InterruptedException {
        Set<String> given = options.confirms();
        for (String key : new String[] {stepId + "@" + host, stepId}) {
            if (given.contains(key)) {
                notice(host, "info", "step '" + stepId + "' confirmed with --confirm " + key + " by " + options.operator() + ": "
                        + question);
                return true;
            }
        }
        if (!operator.present()) {
            notice(host, "warning", "step '" + stepId + "' not confirmed (nobody to ask in a non-interactive run): " + question
                    + " -- the steps that need it are skipped; rerun with '--confirm " + stepId + "' to confirm");
            return false;
        }
        boolean yes = operator.confirm("host " + host + ": " + question);
        notice(host, yes ? "info" : "warning", "step '" + stepId + "' " + (yes ? "confirmed" : "declined") + " by "
                + options.operator() + ": " + question);
        return yes;
    }

    @Override
    public void notice(String host, String level, String message) {
        events.accept(new RunEvent.Notice(options.runId(), clock.instant(), level, host, mask.apply(message)));
    }
}
