package dev.opsctl.cli;

import dev.opsctl.checklist.run.ChecklistPrompter;
import dev.opsctl.engine.execute.StopSignal;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a command may see of its process: the two output streams, the environment variables, the
 * working directory and whether stderr is an interactive terminal. Passed in, never read from
 * globals, so tests can run the whole command line with a made-up environment.
 *
 * <p>Inside {@code opsctl shell} a command also gets the shell's {@code stop} (Ctrl-C stops that
 * command instead of the process) and the shell's own checklist prompter (there can be only one
 * terminal reader). Outside the shell both are empty.
 */
public record CliEnv(PrintStream out, PrintStream err, Map<String, String> env, Path workingDir, boolean terminal,
        Optional<Supplier<StopSignal>> stop, Optional<ChecklistPrompter> checklistPrompter) {
    public CliEnv {
        env = Map.copyOf(env);
    }

    public CliEnv(PrintStream out, PrintStream err, Map<String, String> env, Path workingDir, boolean terminal) {
        this(out, err, env, workingDir, terminal, Optional.empty(), Optional.empty());
    }

    /** The real process: a terminal only when the streams given are the process's own and a console is attached. */
    public static CliEnv system(PrintStream out, PrintStream err) {
        boolean console = System.console() != null && out == System.out && err == System.err;
        return new CliEnv(out, err, System.getenv(), Path.of("").toAbsolutePath(), console);
    }

    /** This environment for one line of the shell: its streams, its stop and its prompter. */
    public CliEnv forShellLine(PrintStream lineOut, PrintStream lineErr, Supplier<StopSignal> lineStop, ChecklistPrompter prompter) {
        return new CliEnv(lineOut, lineErr, env, workingDir, terminal, Optional.of(lineStop), Optional.of(prompter));
    }

    public Optional<String> var(String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isEmpty());
    }

    public Path resolve(String path) {
        return workingDir.resolve(path).normalize();
    }
}
