package dev.opsctl.app;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Where and as whom opsctl runs: the state directory ({@code --state-dir}, else
 * {@code $XDG_STATE_HOME/opsctl}, else {@code ~/.local/state/opsctl}), the clock, the operator
 * ({@code --operator}, else {@code $USER}), whether a human can answer prompts, and the controller's
 * environment (readable in templates as {@code env.*}). Passed explicitly; no global state.
 */
public record Env(Path stateDir, Clock clock, String operator, boolean interactive, Map<String, String> environment) {
    public Env {
        environment = Map.copyOf(environment);
    }

    public static Env from(Map<String, String> environ, Optional<Path> stateDir, Optional<String> operator,
            boolean interactive, Clock clock) {
        Path state = stateDir.orElseGet(() -> defaultStateDir(environ));
        String who = operator.or(() -> Optional.ofNullable(environ.get("USER")))
                .or(() -> Optional.ofNullable(environ.get("LOGNAME")))
                .filter(s -> !s.isBlank())
                // cron and CI often set neither; the account running opsctl is still a better answer than "unknown"
                .orElseGet(() -> System.getProperty("user.name", "unknown"));
        return new Env(state, clock, who, interactive, environ);
    }

    static Path defaultStateDir(Map<String, String> environ) {
        String xdg = environ.get("XDG_STATE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "opsctl");
        }
        String home = environ.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".local", "state", "opsctl");
    }
}
