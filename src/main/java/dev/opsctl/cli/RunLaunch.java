package dev.opsctl.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Turns the options of run, rollout and plan into a request for the app services and renders the result. */
final class RunLaunch {
    private final CliEnv env;
    private final RunOptionsMixin options;
    private final OutputMixin output;

    RunLaunch(CliEnv env, RunOptionsMixin options, OutputMixin output) {
        this.env = env;
        this.options = options;
        this.output = output;
    }

    int run(Path runbook, boolean planOnly) {
        if (!Files.isRegularFile(runbook)) {
            throw new UsageException("no runbook file '" + runbook + "'", "give a path to a .yaml file, or use 'opsctl rollout NAME'");
        }
        throw new UsageException((planOnly ? "plan" : "run") + " is not available in this build yet (the engine is not wired in)");
    }
}
