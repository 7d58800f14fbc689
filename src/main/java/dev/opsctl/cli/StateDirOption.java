package dev.opsctl.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --state-dir} for the commands that read runs back. */
final class StateDirOption {
    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where runs are journaled (default: $XDG_STATE_HOME/opsctl or ~/.local/state/opsctl).")
    Path stateDir;

    Optional<Path> get() {
        return Optional.ofNullable(stateDir);
    }
}
