package dev.opsctl.cli;

import dev.opsctl.engine.ExitCodes;
import java.util.Arrays;
import picocli.CommandLine;

/**
 * Exceptions that escape a command. A {@link UsageException} is the operator's mistake (exit 2,
 * one line); anything else is a bug (exit 70) and says so, with the stack trace only under --debug.
 */
final class InternalErrorHandler implements CommandLine.IExecutionExceptionHandler {
    private final CliEnv env;

    InternalErrorHandler(CliEnv env) {
        this.env = env;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        var err = cmd.getErr();
        if (ex instanceof UsageException u) {
            err.println("error: " + u.getMessage());
            u.hint().ifPresent(h -> err.println("  hint: " + h));
            err.flush();
            return ExitCodes.USAGE;
        }
        err.println("internal error: " + describe(ex) + " (this is a bug; rerun with --debug for the stack trace)");
        if (debug(parsed)) {
            ex.printStackTrace(err);
        }
        err.flush();
        env.err().flush();
        return ExitCodes.INTERNAL;
    }

    private static String describe(Throwable ex) {
        String msg = ex.getMessage();
        return msg == null || msg.isBlank() ? ex.getClass().getName() : ex.getClass().getSimpleName() + ": " + msg;
    }

    private static boolean debug(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return Arrays.asList(parsed.originalArgs().toArray(String[]::new)).contains("--debug");
    }
}
