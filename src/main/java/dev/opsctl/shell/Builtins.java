package dev.opsctl.shell;

import dev.opsctl.app.OpsctlException;
import dev.opsctl.app.RunSummary;
import dev.opsctl.source.Durations;
import dev.opsctl.source.Problems;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jline.reader.History;
import picocli.CommandLine;

/**
 * The shell's own commands: {@code status}, {@code use}, {@code help}, {@code history}, {@code time},
 * {@code disconnect}, {@code exit} and {@code quit}.
 */
final class Builtins {
    static final List<String> NAMES = List.of("status", "use", "help", "history", "time", "disconnect", "exit", "quit");

    private final ShellSetup setup;
    private final Session session;
    private final InventoryHosts inventories;
    private final CommandLine model;
    private final PrintStream out;
    private final PrintStream err;

    Builtins(ShellSetup setup, Session session, InventoryHosts inventories, CommandLine model, PrintStream out, PrintStream err) {
        this.setup = setup;
        this.session = session;
        this.inventories = inventories;
        this.model = model;
        this.out = out;
        this.err = err;
    }

    int status() {
        try {
            StatusView.lines(session.lastRun(), setup.runs().list(), setup.zone()).forEach(out::println);
            out.println(connections());
            return 0;
        } catch (OpsctlException e) {
            err.println("error: " + e.getMessage());
            return e.exitCode();
        }
    }

    /** {@code use} shows, {@code use -i FILE} (or {@code use FILE}) sets, {@code use --none} clears the session's inventory. */
    int use(List<String> args) {
        if (args.isEmpty()) {
            out.println(session.inventory().map(p -> "inventory: " + p + " (commands that take -i use it when not given one)")
                    .orElse("inventory: none (set one with 'use -i FILE')"));
            return 0;
        }
        if (args.equals(List.of("--none"))) {
            session.use(Optional.empty());
            out.println("inventory: none");
            return 0;
        }
        List<String> rest = args.get(0).equals("-i") || args.get(0).equals("--inventory") ? args.subList(1, args.size()) : args;
        if (rest.size() != 1) {
            err.println("error: usage: use -i INVENTORY | use --none | use");
            return 2;
        }
        Path file = setup.workingDir().resolve(rest.get(0)).normalize();
        if (!Files.isRegularFile(file)) {
            err.println("error: no inventory file '" + rest.get(0) + "'; the inventory in use is unchanged");
            return 2;
        }
        Problems problems = new Problems();
        var inventory = inventories.load(file, problems);
        if (inventory.isEmpty()) {
            err.print(problems.render());
            err.println("error: inventory '" + rest.get(0) + "' does not load; the inventory in use is unchanged");
            return 2;
        }
        session.use(Optional.of(file));
        int hosts = inventory.get().hosts().size();
        out.println("inventory: " + file + " (" + hosts + (hosts == 1 ? " host" : " hosts") + "); commands that take -i use it when not given one");
        return 0;
    }

    /** {@code help} lists the commands; {@code help CMD [SUB]} is {@code CMD [SUB] --help}. */
    int help(List<String> args, Function<List<String>, Integer> run) {
        if (!args.isEmpty()) {
            if (NAMES.contains(args.get(0))) {
                out.println(args.get(0) + ": a shell built-in; 'help' lists them");
                return 0;
            }
            List<String> line = new java.util.ArrayList<>(args);
            line.add("--help");
            return run.apply(line);
        }
        out.println("opsctl commands (each as on the command line, without 'opsctl'):");
        model.getSubcommands().forEach((name, sub) -> {
            String[] d = sub.getCommandSpec().usageMessage().description();
            out.println(String.format("  %-12s %s", name, d.length == 0 ? "" : d[0]));
        });
        out.println("shell built-ins:");
        out.println(String.format("  %-12s %s", "status", "the run this shell started last and the recent runs"));
        out.println(String.format("  %-12s %s", "use -i FILE", "use this inventory for every command that takes -i (shown in the prompt)"));
        out.println(String.format("  %-12s %s", "history", "the lines typed before, in this and earlier sessions"));
        out.println(String.format("  %-12s %s", "help CMD", "the help of one command, e.g. 'help runs resume'"));
        out.println(String.format("  %-12s %s", "time CMD", "run the command, then print how long it took"));
        out.println(String.format("  %-12s %s", "disconnect", "close the ssh connections kept for the next command"));
        out.println(String.format("  %-12s %s", "exit, quit", "leave the shell (or Ctrl-D at an empty prompt)"));
        out.println("keys: Tab completes commands, options, runbooks, checklists, hosts (-l) and run ids;"
                + " Ctrl-C stops the running command, Ctrl-R searches the history");
        return 0;
    }

    private String connections() {
        KeptConnections c = setup.connections();
        if (c.keptFor().isZero()) {
            return "ssh connections: closed after every command (opsctl shell --keep-connections 0)";
        }
        int n = c.count();
        return "ssh connections: " + n + " kept for the next command (each closed after "
                + Durations.format(c.keptFor()) + " unused; 'disconnect' closes them now)";
    }

    /** {@code disconnect}: closes the connections kept between commands (after a host's key or config changed, say). */
    int disconnect() {
        int n = setup.connections().closeAll();
        out.println("ssh connections: closed " + n + (n == 1 ? " kept connection" : " kept connections"));
        return 0;
    }

    /** {@code time CMD ...}: runs the command, then prints how long it took (wall clock). */
    int time(List<String> args, Function<List<String>, Integer> run) {
        if (args.isEmpty()) {
            err.println("error: usage: time COMMAND [ARGS...], e.g. 'time exec -- uptime'");
            return 2;
        }
        if (NAMES.contains(args.get(0))) {
            err.println("error: 'time' runs opsctl commands, not the shell's built-in '" + args.get(0) + "'");
            return 2;
        }
        long start = System.nanoTime();
        int code = run.apply(args);
        long micros = (System.nanoTime() - start) / 1000;
        out.println(String.format("time: %d.%03ds (exit %d)", micros / 1_000_000, (micros / 1000) % 1000, code));
        return code;
    }

    int history(History history) {
        for (History.Entry e : history) {
            out.println(String.format("%5d  %s", e.index() + 1, e.line()));
        }
        return 0;
    }

    static boolean startsRun(List<String> words) {
        if (words.isEmpty()) {
            return false;
        }
        String first = words.get(0);
        return first.equals("run") || first.equals("rollout")
                || (first.equals("runs") && words.size() > 1 && (words.get(1).equals("resume") || words.get(1).equals("rollback")));
    }

    static Optional<String> newest(List<RunSummary> runs) {
        return runs.stream().findFirst().map(RunSummary::runId);
    }
}
