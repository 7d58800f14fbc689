package dev.opsctl.cli;

import dev.opsctl.app.HostTargets;
import dev.opsctl.app.InventoryService;
import dev.opsctl.app.OpsctlException;
import dev.opsctl.inventory.Host;
import dev.opsctl.inventory.HostPatternException;
import dev.opsctl.inventory.Inventory;
import dev.opsctl.source.Problems;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code opsctl inventory list|show}: the hosts an inventory resolves to. */
@Command(
        name = "inventory",
        description = "Show the hosts of an inventory as opsctl resolves them (groups, connection, merged variables).",
        subcommands = {InventoryCommand.ListHosts.class, InventoryCommand.ShowHost.class},
        footerHeading = "%nExamples:%n",
        footer = {"  opsctl inventory list -i inventory.ini", "  opsctl inventory show -i inventory.ini web1"})
public final class InventoryCommand implements Runnable {
    static final int OK = 0;
    static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand: list or show");
    }

    static Optional<Inventory> load(Path file, PrintWriter err) {
        Problems problems = new Problems();
        Optional<Inventory> inv = new InventoryService().load(file, problems);
        if (inv.isEmpty()) {
            err.print(problems.render());
            err.flush();
        }
        return inv;
    }

    @Command(name = "list", description = "List the hosts a limit pattern selects: name, address, port, user, groups.",
            footerHeading = "%nExamples:%n",
            footer = {"  opsctl inventory list -i inventory.ini", "  opsctl inventory list -i hosts.yaml -l 'web*:!web3'"})
    static final class ListHosts implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = {"-i", "--inventory"}, required = true, paramLabel = "FILE", description = "The inventory file.")
        Path inventory;

        @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN", defaultValue = "all",
                description = "Ansible host pattern (default: ${DEFAULT-VALUE}).")
        String limit;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Optional<Inventory> inv = load(inventory, err);
            if (inv.isEmpty()) {
                return USAGE;
            }
            List<Host> hosts;
            try {
                hosts = new InventoryService().select(inv.get(), Optional.of(limit));
            } catch (HostPatternException e) {
                err.println("opsctl inventory: " + e.getMessage());
                return USAGE;
            }
            int w = Math.max(4, hosts.stream().mapToInt(h -> h.name().length()).max().orElse(4));
            int a = Math.max(7, hosts.stream().mapToInt(h -> h.address().length()).max().orElse(7));
            out.printf("%-" + w + "s  %-" + a + "s  %-5s  %-12s  %s%n", "HOST", "ADDRESS", "PORT", "USER", "GROUPS");
            for (Host h : hosts) {
                out.printf("%-" + w + "s  %-" + a + "s  %-5s  %-12s  %s%n", h.name(), h.address(),
                        h.port().map(String::valueOf).orElse("-"), h.user().orElse("-"),
                        String.join(",", h.groups().stream().filter(g -> !g.equals("all")).toList()));
            }
            out.flush();
            return OK;
        }
    }

    @Command(name = "show", description = "Show one host: how it is reached, its groups and its merged variables (secrets masked).",
            footerHeading = "%nExamples:%n",
            footer = {"  opsctl inventory show -i inventory.ini web1", "  opsctl inventory show -i inventory.ini --ssh-config ./ssh_config db1"})
    static final class ShowHost implements Callable<Integer> {
        private final CliEnv env;

        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        SshOptionsMixin ssh = new SshOptionsMixin();

        ShowHost(CliEnv env) {
            this.env = env;
        }

        @Option(names = {"-i", "--inventory"}, required = true, paramLabel = "FILE", description = "The inventory file.")
        Path inventory;

        @Parameters(paramLabel = "HOST", description = "The host's inventory name.")
        String host;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Optional<Inventory> inv = load(inventory, err);
            if (inv.isEmpty()) {
                return USAGE;
            }
            Optional<Host> found = inv.get().host(host);
            if (found.isEmpty()) {
                String hint = dev.opsctl.source.DidYouMean.closest(host, inv.get().hosts().stream().map(Host::name).toList())
                        .map(c -> "; did you mean '" + c + "'?").orElse("");
                err.println("opsctl inventory: no host '" + host + "' in '" + inventory + "'" + hint);
                return USAGE;
            }
            Host h = found.get();
            out.println("host:       " + h.name());
            out.println("connection: " + h.connection().name().toLowerCase(Locale.ROOT));
            out.println("address:    " + h.address());
            out.println("port:       " + h.port().map(String::valueOf).orElse("(ssh config or 22)"));
            out.println("user:       " + h.user().orElse("(ssh config or local user)"));
            h.identityFile().ifPresent(k -> out.println("key:        " + k));
            if (h.connection() == dev.opsctl.inventory.Connection.SSH) {
                try {
                    HostTargets targets = HostTargets.standard(ssh.flags(env), w -> err.println("warning: " + w));
                    SshRoute.print(targets.sshSettings(h), targets.sshConfigFiles(), out);
                } catch (OpsctlException e) {
                    err.println("opsctl inventory: " + e.getMessage());
                    return USAGE;
                }
            }
            out.println("sudo:       " + (h.become() ? "yes, as " + h.becomeUser() : "no"));
            out.println("groups:     " + String.join(", ", h.groups()));
            out.println("vars:");
            for (Map.Entry<String, Object> e : new TreeMap<>(h.vars()).entrySet()) {
                Object v = dev.opsctl.source.Secret.looksSecret(e.getKey()) ? dev.opsctl.source.Secret.MASK : e.getValue();
                out.println("  " + e.getKey() + ": " + v);
            }
            out.flush();
            return OK;
        }
    }
}
