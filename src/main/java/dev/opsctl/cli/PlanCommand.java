package dev.opsctl.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "plan",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Show what a run would do: which hosts, in which batches, which steps, gates and triggers, and how long it should take.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  opsctl plan runbooks/userns-remap.yaml -i inventory.ini",
            "  opsctl plan runbooks/userns-remap.yaml -i hosts.ini -l 'web*' -e drain_wait=10m",
            "  opsctl plan deploy.yaml -i hosts.yaml -o json | jq .",
        })
final class PlanCommand implements Callable<Integer> {
    private final CliEnv env;

    @Parameters(index = "0", paramLabel = "RUNBOOK", description = "The runbook file (YAML).")
    Path runbook;

    @Mixin
    RunOptionsMixin options;

    @Mixin
    OutputMixin output;

    PlanCommand(CliEnv env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        return new RunLaunch(env, options, output).run(env.resolve(runbook.toString()), true);
    }
}
