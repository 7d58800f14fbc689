package dev.opsctl.cli;

import dev.opsctl.engine.ExitCodes;
import java.util.List;

/**
 * Runs one command line. A bare {@code opsctl --version} is answered before picocli builds the
 * command tree, which is most of a short command's start-up time; every other form, including
 * {@code --version} on a subcommand, goes through picocli.
 */
public final class Launch {
    private Launch() {}

    public static int execute(CliEnv env, String... args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            List<String> lines = Version.lines();
            lines.forEach(env.out()::println);
            env.out().flush();
            return ExitCodes.OK;
        }
        Preload.startFor(env, args);
        picocli.CommandLine cmd = OpsctlCommand.commandLine(env, args);
        try {
            return cmd.execute(args);
        } finally {
            // print() on an autoflush PrintWriter does not flush: what a command printed without a final println stays buffered
            cmd.getOut().flush();
            cmd.getErr().flush();
        }
    }
}
