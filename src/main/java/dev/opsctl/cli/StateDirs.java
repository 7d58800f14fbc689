package dev.opsctl.cli;

import java.nio.file.Path;
import java.util.Optional;

/** Where run state lives: --state-dir, else $XDG_STATE_HOME/opsctl, else ~/.local/state/opsctl. */
final class StateDirs {
    private StateDirs() {}

    static Path resolve(Optional<Path> given, CliEnv env) {
        if (given.isPresent()) {
            return env.workingDir().resolve(given.get()).normalize();
        }
        return env.var("XDG_STATE_HOME")
                .map(x -> Path.of(x, "opsctl"))
                .orElseGet(() -> Path.of(env.var("HOME").orElse(System.getProperty("user.home")), ".local", "state", "opsctl"));
    }
}
