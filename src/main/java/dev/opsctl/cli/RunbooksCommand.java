package dev.opsctl.cli;

import dev.opsctl.engine.ExitCodes;
import dev.opsctl.action.ActionRegistry;
import dev.opsctl.report.RunbookText;
import dev.opsctl.runbook.load.LoadResult;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "runbooks",
        mixinStandardHelpOptions = true,
        description = "The shipped runbooks: list them, or show one's parameters, steps, triggers and step types.",
        subcommands = {RunbooksCommand.ListRunbooks.class, RunbooksCommand.ShowRunbook.class},
        footerHeading = "%nExamples:%n",
        footer = {"  opsctl runbooks list", "  opsctl runbooks show userns-remap"})
final class RunbooksCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand: list or show");
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List the runbooks on the runbook path with their descriptions.",
            footerHeading = "%nExamples:%n",
            footer = {"  opsctl runbooks list", "  OPSCTL_HOME=/srv/opsctl opsctl runbooks list"})
    static final class ListRunbooks implements Callable<Integer> {
        private final CliEnv env;

        ListRunbooks(CliEnv env) {
            this.env = env;
        }

        @Override
        public Integer call() {
            RunbookPath path = RunbookPath.of(env);
            Map<String, Path> all = path.all();
            if (all.isEmpty()) {
                env.err().println("no runbooks in " + path.describe());
                return ExitCodes.OK;
            }
            int width = all.keySet().stream().mapToInt(String::length).max().orElse(4);
            all.forEach((name, file) -> env.out().println(
                    String.format("%-" + width + "s  %s", name, RunbookReader.description(file).orElse(""))));
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Show a runbook: its parameters, steps, triggers, rollback and the step types it uses.",
            footerHeading = "%nExamples:%n",
            footer = {"  opsctl runbooks show userns-remap"})
    static final class ShowRunbook implements Callable<Integer> {
        private final CliEnv env;

        @Parameters(index = "0", paramLabel = "NAME", completionCandidates = RunbookNames.class,
                description = "The runbook's name, without .yaml.")
        String name;

        ShowRunbook(CliEnv env) {
            this.env = env;
        }

        @Override
        public Integer call() {
            RunbookPath path = RunbookPath.of(env);
            Path file = path.find(name).orElseThrow(() -> new UsageException(
                    "no runbook named '" + name + "' in " + path.describe(), "'opsctl runbooks list' shows the runbooks there are"));
            String display = file.startsWith(env.workingDir()) ? env.workingDir().relativize(file).toString() : file.toString();
            LoadResult loaded = new RunbookReader(env, ActionRegistry.standard(env.env())).load(file, display);
            if (!loaded.problems().isEmpty()) {
                env.err().print(loaded.problems().render());
            }
            if (loaded.runbook().isEmpty()) {
                env.err().println("error: runbook '" + name + "' does not load; fix it, then 'opsctl validate " + display + "'");
                return ExitCodes.USAGE;
            }
            RunbookText.lines(loaded.runbook().get(), display).forEach(env.out()::println);
            return ExitCodes.OK;
        }
    }
}
