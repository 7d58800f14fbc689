package dev.opsctl.engine.execute;

/**
 * What a hook decided: go on, or stop this host with a status (e.g. {@code rolled_back}) and the
 * run's exit code (e.g. 3). The host loop applies it at one point, after the hook returns.
 * {@code haltRollout}: no further host may start either (a gate not passed, a trigger's halt).
 */
public record HookVerdict(boolean proceed, String hostStatus, int exitCode, boolean haltRollout, String reason) {
    public static final HookVerdict CONTINUE = new HookVerdict(true, "", 0, false, "");

    public static HookVerdict stop(String hostStatus, int exitCode, boolean haltRollout, String reason) {
        return new HookVerdict(false, hostStatus, exitCode, haltRollout, reason);
    }
}
