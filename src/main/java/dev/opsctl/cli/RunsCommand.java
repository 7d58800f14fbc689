package dev.opsctl.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "runs",
        mixinStandardHelpOptions = true,
        description = "Past and current runs, read from their journals: list, show one, resume one.",
        subcommands = {RunsCommand.ListRuns.class, RunsCommand.ShowRun.class, RunsCommand.ResumeRun.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  opsctl runs list --since 24h",
            "  opsctl runs show 20261122-0201-userns-remap --step restart-docker",
            "  opsctl runs resume 20261122-0201-userns-remap --yes",
        })
final class RunsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand: list, show or resume");
    }

    static UsageException notWired(String what) {
        return new UsageException("'runs " + what + "' is not available in this build yet (the journal is not wired in)");
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List runs, newest first: id, runbook, status, hosts, when.",
            footerHeading = "%nExamples:%n",
            footer = {"  opsctl runs list", "  opsctl runs list --since 2h -o json"})
    static final class ListRuns implements Callable<Integer> {
        @Option(names = "--since", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "Only runs started within this long (e.g. 24h, 90m).")
        Duration since;

        @Mixin
        StateDirOption stateDir;

        @Mixin
        OutputMixin output;

        @Override
        public Integer call() {
            throw notWired("list");
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Show one run: hosts, steps and outcomes; with --step, that step's full output on every host.",
            footerHeading = "%nExamples:%n",
            footer = {"  opsctl runs show 20261122-0201-userns-remap", "  opsctl runs show 20261122-0201-userns-remap --step restart-docker"})
    static final class ShowRun implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ID", description = "The run id, as printed when it started and by 'runs list'.")
        String id;

        @Option(names = "--step", paramLabel = "STEP", description = "Show this step's full output.")
        String step;

        @Mixin
        StateDirOption stateDir;

        @Mixin
        OutputMixin output;

        @Override
        public Integer call() {
            throw notWired("show");
        }
    }

    @Command(
            name = "resume",
            mixinStandardHelpOptions = true,
            description = {
                "Continue a halted or interrupted run at the first step not journaled as done.",
                "A step seen started but not finished is re-run only if it is idempotent; otherwise you are asked.",
            },
            footerHeading = "%nExamples:%n",
            footer = {"  opsctl runs resume 20261122-0201-userns-remap", "  opsctl runs resume 20261122-0201-userns-remap --yes -o json"})
    static final class ResumeRun implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ID", description = "The run id.")
        String id;

        @Option(names = {"-y", "--yes"}, description = "Do not ask before continuing.")
        boolean yes;

        @Mixin
        StateDirOption stateDir;

        @Mixin
        OutputMixin output;

        @Override
        public Integer call() {
            throw notWired("resume");
        }
    }
}
