package dev.opsctl.engine.execute;

import dev.opsctl.runbook.model.TriggerAction;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What a hook decided: go on, or stop this host with a status (e.g. {@code gate_failed}) and the
 * run's exit code (e.g. 5), or, for a trigger, {@code fired}: what the trigger asks for (the host loop
 * then decides the status and exit code as it applies it: rollback -> 3 or 4). The host loop applies
 * every verdict at one point, after the hook returns. {@code haltRollout}: no further host may start.
 */
public record HookVerdict(boolean proceed, String hostStatus, int exitCode, boolean haltRollout, String reason,
        Optional<Fired> fired) {
    public static final HookVerdict CONTINUE = new HookVerdict(true, "", 0, false, "");

    public HookVerdict(boolean proceed, String hostStatus, int exitCode, boolean haltRollout, String reason) {
        this(proceed, hostStatus, exitCode, haltRollout, reason, Optional.empty());
    }

    /**
     * A trigger fired. {@code values}: what its condition read (masked by the host loop before they are
     * shown); {@code askTimeout}/{@code onAskTimeout}: for {@code then: ask}, how long to wait for an
     * operator and what happens when nobody answers.
     */
    public record Fired(String trigger, TriggerAction action, String evidence, Map<String, Object> values,
            Optional<Duration> askTimeout, TriggerAction onAskTimeout) {
        public Fired {
            values = Map.copyOf(values);
        }
    }

    public static HookVerdict stop(String hostStatus, int exitCode, boolean haltRollout, String reason) {
        return new HookVerdict(false, hostStatus, exitCode, haltRollout, reason);
    }

    public static HookVerdict fire(Fired fired) {
        return new HookVerdict(false, "", 0, false, "trigger '" + fired.trigger() + "' fired: " + fired.evidence(),
                Optional.of(fired));
    }
}
