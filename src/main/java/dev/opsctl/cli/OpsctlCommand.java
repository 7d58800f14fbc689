package dev.opsctl.cli;

import dev.opsctl.action.ActionRegistry;
import dev.opsctl.app.ChecklistPath;
import dev.opsctl.app.ChecklistService;
import dev.opsctl.checklist.run.ChecklistPrompter;
import dev.opsctl.shell.JLineChecklistPrompter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Optional;
import java.util.function.Supplier;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The root command: global options and the list of subcommands. */
@Command(
        name = "opsctl",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        scope = ScopeType.INHERIT,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Run declarative YAML runbooks step by step, host by host, with gates, triggers and rollback.",
        subcommands = {
            RunCommand.class,
            RolloutCommand.class,
            PlanCommand.class,
            ValidateCommand.class,
            RunbooksCommand.class,
            RunsCommand.class,
            ExecCommand.class,
            InventoryCommand.class,
            CompletionCommand.class,
            ShellCommand.class,
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  opsctl validate runbooks/",
            "  opsctl plan runbooks/userns-remap.yaml -i inventory.ini",
            "  opsctl rollout userns-remap -i inventory.ini -l web1 --yes",
            "  opsctl runs resume 20261122-0201-userns-remap",
            "",
            "Exit codes:",
            "  0 ok                      3 a trigger fired, rollback succeeded",
            "  1 a step failed, halted   4 rollback failed: a human must act",
            "  2 usage or validation     5 a gate was not passed",
            "  70 internal error (a bug) 130 interrupted",
        })
public final class OpsctlCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Show stack traces of internal errors.")
    boolean debug;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    /** The whole command tree, writing to the streams of {@code env}, with opsctl's error handling. */
    public static CommandLine commandLine(CliEnv env) {
        CommandLine cmd = new CommandLine(new OpsctlCommand(), new CliFactory(env));
        // Added before the streams and handlers are set, which picocli copies to the subcommands there are.
        cmd.addSubcommand("checklist", checklists(env));
        cmd.setOut(new PrintWriter(new java.io.OutputStreamWriter(env.out(), StandardCharsets.UTF_8), true));
        cmd.setErr(new PrintWriter(new java.io.OutputStreamWriter(env.err(), StandardCharsets.UTF_8), true));
        cmd.setParameterExceptionHandler(new UsageErrorHandler());
        cmd.setExecutionExceptionHandler(new InternalErrorHandler(env));
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        return cmd;
    }

    private static ChecklistCommand checklists(CliEnv env) {
        Supplier<Optional<ChecklistPrompter>> prompter = () -> {
            if (env.checklistPrompter().isPresent()) {
                return env.checklistPrompter();
            }
            if (!env.terminal()) {
                return Optional.empty();
            }
            try {
                return Optional.of(JLineChecklistPrompter.system());
            } catch (IOException e) {
                return Optional.empty();
            }
        };
        // the SSH/local targets are built on the first host probe, not for every command line
        java.util.concurrent.atomic.AtomicReference<dev.opsctl.engine.execute.TargetProvider> targets =
                new java.util.concurrent.atomic.AtomicReference<>();
        dev.opsctl.engine.execute.TargetProvider.HostsOnly hosts = host -> targets
                .updateAndGet(t -> t != null ? t : CliServices.targets(env, dev.opsctl.app.SshFlags.DEFAULT)).open(host);
        return new ChecklistCommand(ChecklistService.withInventories(checklistPath(env), ActionRegistry.standard(),
                CliServices.inventories(env), hosts), env.env(), prompter, ZoneId.systemDefault());
    }

    /** Where {@code checklist NAME} is looked up: ./checklists, $OPSCTL_HOME/checklists, the repo's checklists/. */
    static ChecklistPath checklistPath(CliEnv env) {
        return ChecklistPath.standard(env.workingDir(), env.var("OPSCTL_HOME"), RunbookPath.shipped().map(Path::getParent));
    }
}
