package dev.opsctl.cli;

import dev.opsctl.action.ActionRegistry;
import dev.opsctl.app.ChecklistPath;
import dev.opsctl.app.ChecklistService;
import dev.opsctl.checklist.run.ChecklistPrompter;
import dev.opsctl.shell.JLineChecklistPrompter;
import dev.opsctl.source.BytesKeptUtf8;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The root command: global options and the list of subcommands ({@link #SUBCOMMANDS}, then checklist). */
@Command(
        name = "opsctl",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        scope = ScopeType.INHERIT,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Run declarative YAML runbooks step by step, host by host, with gates, triggers and rollback.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  opsctl validate runbooks/",
            "  opsctl plan runbooks/userns-remap.yaml -i inventory.ini",
            "  opsctl rollout userns-remap -i inventory.ini -l web1 --yes",
            "  opsctl runs resume 20261122-0201-userns-remap",
            "",
            "Exit codes:",
            "  0 ok                      4 rollback failed, or halted: a human must act",
            "  1 a step failed, halted   5 a gate was not passed",
            "  2 usage or validation     6 another run holds the cluster lock",
            "  3 rolled back, succeeded  70 internal error (a bug)",
            "                            130 interrupted",
        })
public final class OpsctlCommand implements Runnable {
    /**
     * The subcommands in the order help lists them, by name. Not in the annotation: picocli reflects
     * every command it is given, and the whole tree costs ~0.2 s of a start; a command line that
     * names a command gets only that one (see {@link #commandLine(CliEnv, String...)}).
     */
    static final Map<String, Class<?>> SUBCOMMANDS = subcommands();
    static final String CHECKLIST = "checklist";
    /** Commands that look at the tree above them (completion scripts, the shell's own lines) get all of it. */
    private static final Set<String> NEED_WHOLE_TREE = Set.of("completion", "shell");

    private static Map<String, Class<?>> subcommands() {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        m.put("run", RunCommand.class);
        m.put("rollout", RolloutCommand.class);
        m.put("plan", PlanCommand.class);
        m.put("validate", ValidateCommand.class);
        m.put("runbooks", RunbooksCommand.class);
        m.put("runs", RunsCommand.class);
        m.put("exec", ExecCommand.class);
        m.put("inventory", InventoryCommand.class);
        m.put("completion", CompletionCommand.class);
        m.put("shell", ShellCommand.class);
        return Collections.unmodifiableMap(m);
    }

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
        return build(env, name -> true);
    }

    /**
     * The tree for running {@code args}: when the first word is a command, the root with only that
     * command under it (what it parses, prints and reports is the same); else the whole tree.
     */
    public static CommandLine commandLine(CliEnv env, String... args) {
        if (args.length == 0 || NEED_WHOLE_TREE.contains(args[0])
                || !(SUBCOMMANDS.containsKey(args[0]) || args[0].equals(CHECKLIST))) {
            return commandLine(env);
        }
        return build(env, args[0]::equals);
    }

    private static CommandLine build(CliEnv env, Predicate<String> wanted) {
        CliFactory factory = new CliFactory(env);
        CommandLine cmd = new CommandLine(new OpsctlCommand(), factory);
        // Added before the streams and handlers are set, which picocli copies to the subcommands there are.
        SUBCOMMANDS.forEach((name, type) -> {
            if (wanted.test(name)) {
                cmd.addSubcommand(name, new CommandLine(type, factory));
            }
        });
        if (wanted.test(CHECKLIST)) {
            cmd.addSubcommand(CHECKLIST, checklists(env));
        }
        // a host's output printed as data may hold bytes that are not UTF-8 (HostBytes): they go out as they came
        cmd.setOut(new PrintWriter(new java.io.OutputStreamWriter(env.out(), BytesKeptUtf8.INSTANCE), true));
        cmd.setErr(new PrintWriter(new java.io.OutputStreamWriter(env.err(), BytesKeptUtf8.INSTANCE), true));
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
        return new ChecklistCommand(ChecklistService.withInventories(checklistPath(env), ActionRegistry.standard(env.env()),
                CliServices.inventories(env), hosts), env.env(), prompter, ZoneId.systemDefault());
    }

    /** Where {@code checklist NAME} is looked up: ./checklists, $OPSCTL_HOME/checklists, the repo's checklists/. */
    static ChecklistPath checklistPath(CliEnv env) {
        return ChecklistPath.standard(env.workingDir(), env.var("OPSCTL_HOME"), RunbookPath.shipped().map(Path::getParent));
    }
}
