package dev.opsctl.cli;

import dev.opsctl.app.ChecklistService;
import dev.opsctl.app.Env;
import dev.opsctl.app.Prompter;
import dev.opsctl.app.Services;
import dev.opsctl.shell.IncidentShell;
import dev.opsctl.shell.KeptConnections;
import dev.opsctl.shell.ShellSetup;
import dev.opsctl.source.Durations;
import dev.opsctl.target.ssh.SshTargets;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code opsctl shell}: hands the command tree and the names to complete to the incident shell. */
@Command(
        name = "shell",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "An incident-response shell: every opsctl command with Tab completion, history, 'status' and 'use -i'.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  opsctl shell",
            "  opsctl shell -i prod-inventory.ini",
            "  opsctl shell --state-dir /var/lib/opsctl",
            "  opsctl shell --keep-connections 0",
        })
final class ShellCommand implements Callable<Integer> {
    static final Duration DEFAULT_KEEP = Duration.ofMinutes(5);
    static final Duration MAX_KEEP = Duration.ofHours(24);

    private static final KeptConnections SSH_CONNECTIONS = new KeptConnections() {
        @Override
        public Duration keptFor() {
            return SshTargets.connectionsKeptFor();
        }

        @Override
        public int count() {
            return SshTargets.keptConnections();
        }

        @Override
        public int closeAll() {
            return SshTargets.closeKeptConnections();
        }
    };

    private final CliEnv env;

    @Option(names = {"-i", "--inventory"}, paramLabel = "INVENTORY",
            description = "Use this inventory for every command that takes -i (as the built-in 'use -i' does).")
    Path inventory;

    @Option(names = "--keep-connections", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Keep each SSH connection open this long after the command that used it, for the next command "
                    + "on the same host to reuse, as OpenSSH's ControlPersist (default: 5m, at most 24h; 0 closes them after every "
                    + "command). 'disconnect' closes them at any time.")
    Duration keepConnections = DEFAULT_KEEP;

    @Mixin
    StateDirOption stateDir;

    ShellCommand(CliEnv env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        if (keepConnections.compareTo(MAX_KEEP) > 0) {
            throw new UsageException("--keep-connections " + Durations.format(keepConnections) + " is longer than "
                    + Durations.format(MAX_KEEP), "give at most 24h (each kept connection holds a login on its host)");
        }
        SshTargets.keepConnections(keepConnections);
        try (IncidentShell shell = IncidentShell.system(setup())) {
            return shell.run();
        } catch (IOException e) {
            throw new UsageException("cannot open the terminal for the shell: " + e.getMessage(), "run 'opsctl shell' in a terminal");
        } finally {
            SshTargets.keepConnections(Duration.ZERO);
        }
    }

    ShellSetup setup() {
        Env appEnv = CliServices.appEnv(env, stateDir.get(), Optional.empty());
        Optional<Path> explicitState = stateDir.get().map(p -> env.resolve(p.toString()));
        ChecklistService checklists = ChecklistService.local(OpsctlCommand.checklistPath(env),
                dev.opsctl.action.ActionRegistry.standard(env.env()));
        Services history = Services.standard(appEnv, Prompter.NON_INTERACTIVE);
        return new ShellSetup(
                line -> OpsctlCommand.commandLine(env.forShellLine(line.out(), line.err(), line.stop(), line.prompter())),
                appEnv.stateDir(),
                explicitState,
                () -> List.copyOf(RunbookPath.of(env).all().keySet()),
                () -> checklists.list().stream().map(ChecklistService.Entry::name).toList(),
                () -> history.history().list(),
                Optional.ofNullable(inventory).map(p -> env.resolve(p.toString())),
                env.workingDir(),
                ZoneId.systemDefault(),
                SSH_CONNECTIONS);
    }
}
