package dev.opsctl.cli;

import dev.opsctl.app.ExecService;
import dev.opsctl.app.HostOutcome;
import dev.opsctl.app.HostTargets;
import dev.opsctl.app.InventoryService;
import dev.opsctl.engine.ExitCodes;
import dev.opsctl.inventory.Connection;
import dev.opsctl.inventory.Host;
import dev.opsctl.inventory.HostPatternException;
import dev.opsctl.inventory.Inventory;
import dev.opsctl.source.Durations;
import dev.opsctl.source.Problems;
import dev.opsctl.target.ssh.SshConfig;
import dev.opsctl.target.ssh.SshOptions;
import dev.opsctl.target.ssh.SshTargets;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code opsctl exec -i INVENTORY [-l LIMIT] -- COMMAND}: one command on every selected host, in parallel. */
@Command(
        name = "exec",
        sortOptions = false,
        description = "Run one shell command on every selected host, in parallel, and report each host's result.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  opsctl exec -i inventory.ini -- uptime",
            "  opsctl exec -i inventory.yaml -l 'web:!web03' --sudo -- systemctl is-active docker",
            "  opsctl exec -i hosts -l db --stream -o json -- 'tail -n 20 /var/log/syslog'",
        })
public final class ExecCommand implements Callable<Integer> {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    private final CliEnv env;

    @Option(names = {"-i", "--inventory"}, required = true, paramLabel = "FILE",
            description = "Inventory: opsctl YAML, Ansible INI or Ansible YAML.")
    Path inventory;

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN", defaultValue = "all",
            description = "Hosts to run on, as an Ansible pattern: all, group, host, 'web*', 'a:&b', 'a:!b' (default: ${DEFAULT-VALUE}).")
    String limit;

    @Option(names = {"-f", "--forks"}, paramLabel = "N", defaultValue = "" + ExecService.DEFAULT_FORKS,
            description = "Hosts to run on at once (default: ${DEFAULT-VALUE}).")
    int forks;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "Stop the command on a host after this long, e.g. 30s or 5m.")
    String timeout;

    @Option(names = {"-b", "--sudo"}, description = "Run the command as root through sudo (hosts the inventory says to become on run it as their become user without -b).")
    boolean sudo;

    @Mixin
    SudoPasswordMixin sudoPassword = new SudoPasswordMixin();

    @Mixin
    KeyPassphraseMixin keyPassphrase = new KeyPassphraseMixin();

    @Option(names = "--stream", description = "Print output lines live, prefixed with the host name, instead of grouped per host.")
    boolean stream;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: text or json (one JSON object per host, then a summary).")
    String output;

    @Option(names = "--accept-new-host-keys", description = "Record the keys of hosts not yet in known_hosts (never accepts a changed key).")
    boolean acceptNewHostKeys;

    @Option(names = "--known-hosts", paramLabel = "FILE", description = "known_hosts file to use instead of ~/.ssh/known_hosts (repeatable).")
    List<Path> knownHosts = new ArrayList<>();

    @Option(names = "--identity", paramLabel = "FILE", description = "Private key to try, before those of the ssh config (repeatable).")
    List<Path> identities = new ArrayList<>();

    @Option(names = "--no-agent", description = "Do not use ssh-agent.")
    boolean noAgent;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", description = "Give up connecting to a host (TCP connect and SSH handshake) after this long (default: 10s).")
    String connectTimeout;

    @Option(names = "--ssh-config", paramLabel = "FILE", description = "OpenSSH client config, as ssh -F ('none': no config; default: ~/.ssh/config, then /etc/ssh/ssh_config).")
    Path sshConfig;

    @Option(names = "--keep-connections", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Leave the SSH connections open this long after the command, in a background keeper process of this user, "
                    + "for the next exec on the same hosts to reuse, as Ansible's ControlPersist (default: $" + ExecKeeper.ENV
                    + ", else 0: close them; at most 24h).")
    Duration keepConnections;

    @Parameters(paramLabel = "COMMAND", arity = "1..*", description = "The shell command; put it after '--'.")
    List<String> command;

    ExecCommand(CliEnv env) {
        this.env = env;
    }

    ExecCommand() {
        this(CliEnv.system(System.out, System.err));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!output.equals("json") && !output.equals("text")) {
            err.println("opsctl exec: unknown output format '" + output + "'; use 'text' or 'json'");
            return USAGE;
        }
        boolean asJson = output.equals("json");
        Optional<Duration> limitTime = duration("--timeout", timeout, err);
        Optional<Duration> connect = duration("--connect-timeout", connectTimeout, err);
        if ((timeout != null && limitTime.isEmpty()) || (connectTimeout != null && connect.isEmpty()) || forks < 1) {
            if (forks < 1) {
                err.println("opsctl exec: --forks must be at least 1, not " + forks);
            }
            return USAGE;
        }
        Duration keep = ExecKeeper.keepFor(keepConnections, env);
        if (keep.compareTo(ShellCommand.MAX_KEEP) > 0) {
            throw new UsageException("--keep-connections " + Durations.format(keep) + " is longer than "
                    + Durations.format(ShellCommand.MAX_KEEP), "give at most 24h (each kept connection holds a login on its host)");
        }
        InventoryService inventories = new InventoryService();
        Problems problems = new Problems();
        Optional<Inventory> inv = inventories.load(env.resolve(inventory.toString()), problems);
        if (inv.isEmpty()) {
            err.print(problems.render());
            return USAGE;
        }
        List<Host> hosts;
        try {
            hosts = inventories.select(inv.get(), Optional.of(limit));
        } catch (HostPatternException e) {
            err.println("opsctl exec: " + e.getMessage());
            return USAGE;
        }
        // A process that keeps connections itself (the shell, the keeper) runs the command here, and so
        // does one for a local host, whose command must run in this process's directory and environment,
        // and one given a password or passphrase, which stays in this process.
        if (!keep.isZero() && SshTargets.connectionsKeptFor().isZero() && hosts.stream().noneMatch(h -> h.connection() == Connection.LOCAL)
                && !sudoPassword.given() && !keyPassphrase.given()) {
            out.flush();
            err.flush();
            Optional<Integer> code = ExecKeeper.forward(env, spec.root().commandLine().getParseResult().expandedArgs(), keep);
            if (code.isPresent()) {
                return code.get();
            }
        }
        SshOptions defaults = SshOptions.defaults();
        SshOptions options = defaults.withKnownHosts(resolved(knownHosts), acceptNewHostKeys)
                .withIdentities(resolved(identities), !noAgent, env.var("SSH_AUTH_SOCK").map(Path::of))
                .withTimeouts(connect, Optional.empty())
                .withWorkingDir(env.workingDir())
                .withPassphrases(keyPassphrase.supplier(env, true));
        SshConfig config;
        try {
            config = SshConfig.named(Optional.ofNullable(sshConfig).map(c -> SshConfig.isNone(c) ? c : env.resolve(c.toString())),
                    defaults.home());
        } catch (IOException e) {
            err.println("opsctl exec: cannot read the ssh config: " + SshConfig.describe(e));
            return USAGE;
        }
        config.warnings().forEach(w -> err.println("warning: " + w));
        int capture = ExecService.captureFor(hosts.size(), stream, Runtime.getRuntime().maxMemory());
        ExecService.Request request = new ExecService.Request(String.join(" ", command), limitTime, sudo,
                sudoPassword.password(env), forks, capture);
        ExecService service = new ExecService(new HostTargets(config, options));
        ExecOutput printed = new ExecOutput(out, asJson, stream, capture);
        ExecService.Listener live = printed.live();
        // Ctrl-C: the commands still running are stopped on their hosts, what finished is printed, exit 130
        return Interrupts.around(env, stop -> {
            ExecService.Outcomes done;
            try {
                done = service.run(hosts, request, live, stop);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ExitCodes.INTERRUPTED;
            }
            printed.results(done.hosts());
            if (done.interrupted()) {
                err.println("opsctl exec: interrupted: commands still running were told to stop on their hosts");
                err.flush();
                return ExitCodes.INTERRUPTED;
            }
            // 4 as for a run: a human must look at a host where the command may still be running
            return done.hosts().stream().anyMatch(HostOutcome::mayStillRun) ? ExitCodes.HUMAN_MUST_ACT
                    : done.hosts().stream().allMatch(HostOutcome::ok) ? OK : FAILED;
        });
    }

    /** Relative to the caller's working directory, which in the keeper is not this process's. */
    private List<Path> resolved(List<Path> paths) {
        return paths.stream().map(p -> env.resolve(p.toString())).toList();
    }

    private static Optional<Duration> duration(String option, String text, PrintWriter err) {
        if (text == null) {
            return Optional.empty();
        }
        Optional<Duration> d = Durations.parse(text);
        if (d.isEmpty()) {
            err.println("opsctl exec: " + option + " needs a duration like 30s or 5m, not '" + text + "'");
        }
        return d;
    }
}
