package dev.opsctl.shell;

import dev.opsctl.engine.execute.StopSignal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A small command tree shaped like opsctl's (run, rollout, runs, checklist, exec, boom) that records
 * what each line parsed into, so tests can see defaults applied and that nothing leaks between lines.
 */
final class FakeTree implements CommandTree {
    /** One executed command: its name and the values it parsed. */
    record Call(String command, List<String> values) {}

    final List<Call> calls = new CopyOnWriteArrayList<>();
    final CountDownLatch running = new CountDownLatch(1);
    int trees;
    /** What {@code run} does besides recording itself, e.g. journal a run. */
    volatile Runnable onRun = () -> {};
    /** {@code hang --engine} then never stops, like a command stuck in a call nothing can interrupt. */
    volatile boolean ignoreStops;
    /** Runs in {@code hang} before it takes the stop (e.g. a Ctrl-C while the command is still starting). */
    volatile Runnable beforeStart = () -> {};
    volatile boolean interruptedBeforeStart;

    @Override
    public CommandLine create(ShellLine line) {
        trees++;
        CommandLine root = new CommandLine(new Root());
        root.addSubcommand(new CommandLine(new Run(line)));
        root.addSubcommand(new CommandLine(new Rollout(line)));
        root.addSubcommand(new CommandLine(new Exec(line)));
        root.addSubcommand(new CommandLine(new Boom()));
        root.addSubcommand(new CommandLine(new Hang(line)));
        CommandLine runs = new CommandLine(new Group("runs"));
        runs.addSubcommand(new CommandLine(new RunsList(line)));
        runs.addSubcommand(new CommandLine(new RunsShow(line)));
        root.addSubcommand("runs", runs);
        CommandLine checklist = new CommandLine(new Group("checklist"));
        checklist.addSubcommand(new CommandLine(new ChecklistRun(line)));
        root.addSubcommand("checklist", checklist);
        root.addSubcommand(new CommandLine(new Crash()));
        root.setOut(new java.io.PrintWriter(line.out(), true));
        root.setErr(new java.io.PrintWriter(line.err(), true));
        return root;
    }

    @Command(name = "opsctl", description = "root")
    static final class Root implements Runnable {
        @Option(names = "--debug")
        boolean debug;

        @Override
        public void run() {}
    }

    @Command(description = "a group")
    static final class Group implements Runnable {
        private final String name;

        Group(String name) {
            this.name = name;
        }

        @Override
        public void run() {
            throw new IllegalStateException("missing subcommand of " + name);
        }
    }

    @Command(name = "run", description = "Run a runbook file.")
    final class Run implements Callable<Integer> {
        private final ShellLine line;

        @Parameters(index = "0", paramLabel = "RUNBOOK")
        Path runbook;

        @Option(names = {"-i", "--inventory"})
        Path inventory;

        @Option(names = {"-l", "--limit"})
        List<String> limit = new ArrayList<>();

        @Option(names = {"-e", "--param"})
        List<String> params = new ArrayList<>();

        @Option(names = {"-y", "--yes"})
        boolean yes;

        @Option(names = "--state-dir")
        Path stateDir;

        @Option(names = {"-o", "--output"})
        Format output = Format.TEXT;

        Run(ShellLine line) {
            this.line = line;
        }

        @Override
        public Integer call() {
            onRun.run();
            calls.add(new Call("run", List.of(String.valueOf(runbook), String.valueOf(inventory), limit.toString(), String.valueOf(stateDir))));
            line.out().println("ran " + runbook);
            return 0;
        }
    }

    enum Format { TEXT, JSON }

    @Command(name = "rollout", description = "Run a shipped runbook by name.")
    final class Rollout implements Callable<Integer> {
        private final ShellLine line;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = {"-i", "--inventory"})
        Path inventory;

        Rollout(ShellLine line) {
            this.line = line;
        }

        @Override
        public Integer call() {
            calls.add(new Call("rollout", List.of(name)));
            line.out().println("rolled out " + name);
            return 0;
        }
    }

    @Command(name = "exec", description = "Run one shell command on every selected host.")
    final class Exec implements Callable<Integer> {
        private final ShellLine line;

        @Option(names = {"-i", "--inventory"})
        Path inventory;

        @Option(names = {"-l", "--limit"}, defaultValue = "all")
        String limit;

        @Option(names = {"-b", "--sudo"})
        boolean sudo;

        @Parameters(paramLabel = "COMMAND", arity = "1..*")
        List<String> command;

        Exec(ShellLine line) {
            this.line = line;
        }

        @Override
        public Integer call() {
            if (inventory == null) {
                line.err().println("error: missing required option '--inventory'");
                return 2;
            }
            calls.add(new Call("exec", List.of(String.valueOf(inventory), limit, String.valueOf(sudo), String.join(" ", command))));
            line.out().println("exec on " + limit + ": " + String.join(" ", command));
            return 0;
        }
    }

    @Command(name = "boom", description = "Throws.")
    static final class Boom implements Runnable {
        @Override
        public void run() {
            throw new IllegalStateException("kaboom");
        }
    }

    /** Waits until stopped: with {@code --engine} through the line's stop (as a run does), else until interrupted. */
    @Command(name = "hang", description = "Waits for Ctrl-C.")
    final class Hang implements Callable<Integer> {
        private final ShellLine line;

        @Option(names = "--engine")
        boolean engine;

        Hang(ShellLine line) {
            this.line = line;
        }

        @Override
        public Integer call() {
            if (engine) {
                beforeStart.run();
                interruptedBeforeStart = Thread.currentThread().isInterrupted();
                StopSignal stop = line.stop().get();
                running.countDown();
                while (!stop.requested() || ignoreStops) {
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        if (!ignoreStops) {
                            Thread.currentThread().interrupt();
                            break;
                        }
                    }
                }
                calls.add(new Call("hang", List.of("stopped")));
                return 130;
            }
            running.countDown();
            try {
                Thread.sleep(60_000);
                return 0;
            } catch (InterruptedException e) {
                calls.add(new Call("hang", List.of("interrupted")));
                return 130;
            }
        }
    }

    @Command(name = "crash", description = "Throws an error picocli does not catch.")
    static final class Crash implements Runnable {
        @Override
        public void run() {
            throw new AssertionError("crashed hard");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List runs.")
    final class RunsList implements Callable<Integer> {
        private final ShellLine line;

        @Option(names = "--state-dir")
        Path stateDir;

        RunsList(ShellLine line) {
            this.line = line;
        }

        @Override
        public Integer call() {
            calls.add(new Call("runs list", List.of(String.valueOf(stateDir))));
            line.out().println("listed runs");
            return 0;
        }
    }

    @Command(name = "show", description = "Show one run.")
    final class RunsShow implements Callable<Integer> {
        private final ShellLine line;

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        RunsShow(ShellLine line) {
            this.line = line;
        }

        @Override
        public Integer call() {
            line.out().println("run " + id);
            return 0;
        }
    }

    @Command(name = "run", description = "Run a checklist.")
    final class ChecklistRun implements Callable<Integer> {
        private final ShellLine line;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = {"-i", "--inventory"})
        Path inventory;

        @Option(names = {"-l", "--limit"})
        String limit;

        ChecklistRun(ShellLine line) {
            this.line = line;
        }

        @Override
        public Integer call() {
            calls.add(new Call("checklist run", List.of(name, String.valueOf(inventory))));
            return 5;
        }
    }
}
