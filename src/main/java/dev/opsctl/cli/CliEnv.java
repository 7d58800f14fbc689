package dev.opsctl.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What a command may see of its process: the two output streams, the environment variables, the
 * working directory and whether stderr is an interactive terminal. Passed in, never read from
 * globals, so tests can run the whole command line with a made-up environment.
 */
public record CliEnv(PrintStream out, PrintStream err, Map<String, String> env, Path workingDir, boolean terminal) {
    public CliEnv {
        env = Map.copyOf(env);
    }

    /** The real process: a terminal only when the streams given are the process's own and a console is attached. */
    public static CliEnv system(PrintStream out, PrintStream err) {
        boolean console = System.console() != null && out == System.out && err == System.err;
        return new CliEnv(out, err, System.getenv(), Path.of("").toAbsolutePath(), console);
    }

    public Optional<String> var(String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isEmpty());
    }

    public Path resolve(String path) {
        return workingDir.resolve(path).normalize();
    }
}
