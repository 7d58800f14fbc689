package dev.opsctl.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Run a runbook file: batch by batch, host by host, step by step, with gates, triggers and rollback.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  opsctl run runbooks/userns-remap.yaml -i inventory.ini --dry-run",
            "  opsctl run runbooks/userns-remap.yaml -i hosts.ini -l 'web*' -e drain_wait=5m",
            "  opsctl run deploy.yaml -i hosts.yaml --confirm backups-ok -o json > run.jsonl",
        })
final class RunCommand implements Callable<Integer> {
    private final CliEnv env;

    @Parameters(index = "0", paramLabel = "RUNBOOK", description = "The runbook file (YAML).")
    Path runbook;

    @Mixin
    RunOptionsMixin options;

    @Mixin
    OutputMixin output;

    RunCommand(CliEnv env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        return new RunLaunch(env, options, output).run(env.resolve(runbook.toString()), false);
    }
}
