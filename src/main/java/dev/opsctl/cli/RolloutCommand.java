package dev.opsctl.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "rollout",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Run a shipped runbook by name (runbooks/NAME.yaml).",
            "NAME is looked up in ./runbooks, $OPSCTL_HOME/runbooks, then the runbooks/ of this opsctl.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  opsctl rollout userns-remap -i inventory.ini --dry-run",
            "  opsctl rollout userns-remap -i hosts.ini -l docker_hosts --answers a.yaml --yes",
            "  opsctl runbooks list        # the names rollout accepts",
        })
final class RolloutCommand implements Callable<Integer> {
    private final CliEnv env;

    @Parameters(index = "0", paramLabel = "NAME", completionCandidates = RunbookNames.class,
            description = "The runbook's name, without .yaml.")
    String name;

    @Mixin
    RunOptionsMixin options;

    @Mixin
    OutputMixin output;

    RolloutCommand(CliEnv env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        RunbookPath path = RunbookPath.of(env);
        var file = path.find(name).orElseThrow(() -> new UsageException(
                "no runbook named '" + name + "' in " + path.describe(),
                "'opsctl runbooks list' shows the runbooks there are"));
        return new RunLaunch(env, options, output).run(file, false);
    }
}
