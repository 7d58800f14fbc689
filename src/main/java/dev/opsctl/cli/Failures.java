package dev.opsctl.cli;

import dev.opsctl.app.OpsctlException;

/** How a refused use case is told: compiler-style problems as they are, anything else as one 'error:' line. */
final class Failures {
    private Failures() {}

    static void print(CliEnv env, OpsctlException e) {
        String message = e.getMessage() == null ? "failed" : e.getMessage();
        boolean compilerStyle = message.lines().findFirst().orElse("").matches("\\S+:\\d+:\\d+: (error|warning): .*");
        env.err().println(compilerStyle || message.startsWith("error:") ? message : "error: " + message);
        env.err().flush();
    }
}
