package dev.opsctl.shell;

import dev.opsctl.app.OpsctlException;
import dev.opsctl.app.RunSummary;
import dev.opsctl.checklist.run.ChecklistPrompter;
import dev.opsctl.engine.execute.StopSignal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.impl.DumbTerminal;
import picocli.CommandLine;

/**
 * {@code opsctl shell}: a prompt that runs every opsctl command by name, in a fresh command tree per
 * line, with completion from the picocli model, history kept in the state directory, a session
 * inventory ({@code use -i}) and a {@code status} of the runs. Ctrl-C stops the running command (see
 * {@link CommandRunner}) or clears the line at the prompt; Ctrl-D at an empty prompt, {@code exit}
 * or {@code quit} leave.
 */
public final class IncidentShell implements AutoCloseable {
    private final Terminal terminal;
    private final ShellSetup setup;
    private final Session session;
    private final LineReader reader;
    private final PrintStream out;
    private final CommandLine model;
    private final CommandRunner runner;
    private final Builtins builtins;
    private final ShellCompleter completer;

    /** The shell on the process's terminal; Ctrl-C is the shell's, never the JVM's. */
    public static IncidentShell system(ShellSetup setup) throws IOException {
        Terminal terminal = TerminalBuilder.builder()
                .system(true)
                .nativeSignals(true)
                .signalHandler(Terminal.SignalHandler.SIG_IGN)
                .build();
        return new IncidentShell(terminal, setup);
    }

    /** The shell on plain streams, as a dumb terminal: for tests and for lines piped in. */
    public static IncidentShell piped(ShellSetup setup, InputStream in, OutputStream screen) throws IOException {
        return new IncidentShell(new DumbTerminal("opsctl", "dumb", in, screen, StandardCharsets.UTF_8), setup);
    }

    public IncidentShell(Terminal terminal, ShellSetup setup) throws IOException {
        this.terminal = terminal;
        this.setup = setup;
        this.session = new Session(setup.inventory());
        this.out = new PrintStream(new Unclosable(terminal.output()), true, StandardCharsets.UTF_8);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        this.model = setup.commands().create(new ShellLine(quiet, quiet, StopSignal::new, ChecklistPrompter.NONE));
        InventoryHosts inventories = new InventoryHosts();
        this.completer = new ShellCompleter(model, setup, inventories, session::inventory);
        DefaultParser parser = new DefaultParser();
        parser.setEofOnUnclosedQuote(true);
        this.reader = ShellHistory.configure(LineReaderBuilder.builder(), ShellHistory.prepare(setup.stateDir()))
                .terminal(terminal)
                .appName("opsctl")
                .parser(parser)
                .completer(completer)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.AUTO_FRESH_LINE, true)
                .build();
        this.runner = new CommandRunner(terminal, out, out, new JLineChecklistPrompter(terminal));
        this.builtins = new Builtins(setup, session, inventories, model, out, out);
    }

    /** Reads and runs lines until Ctrl-D, {@code exit} or {@code quit}; returns 0. */
    public int run() {
        out.println("opsctl shell: Tab completes, 'help' lists commands, Ctrl-C stops a command, Ctrl-D leaves");
        out.println("history: " + setup.stateDir().resolve(ShellHistory.FILE));
        while (true) {
            String line;
            try {
                line = reader.readLine(session.prompt());
            } catch (UserInterruptException e) {
                continue; // Ctrl-C at the prompt: the line is dropped, the shell stays
            } catch (EndOfFileException e) {
                out.println();
                break;
            }
            List<String> words = reader.getParsedLine().words().stream().filter(w -> !w.isEmpty()).toList();
            if (!line(words)) {
                break;
            }
        }
        try {
            reader.getHistory().save();
        } catch (IOException e) {
            out.println("warning: history not saved to '" + setup.stateDir().resolve(ShellHistory.FILE) + "': " + e.getMessage());
        }
        return 0;
    }

    /** Runs one line's words; false when the line asks to leave. */
    boolean line(List<String> words) {
        if (words.isEmpty()) {
            return true;
        }
        String first = words.get(0);
        List<String> args = words.subList(1, words.size());
        switch (first) {
            case "exit", "quit" -> {
                return false;
            }
            case "status" -> builtins.status();
            case "use" -> builtins.use(args);
            case "history" -> builtins.history(reader.getHistory());
            case "disconnect" -> builtins.disconnect();
            case "time" -> builtins.time(args, this::command);
            case "help" -> builtins.help(args, this::command);
            case "shell" -> out.println("error: already in the opsctl shell");
            default -> report(command(words));
        }
        out.flush();
        return true;
    }

    private int command(List<String> words) {
        List<String> args = LineDefaults.apply(model, words, session.inventory(), setup.explicitStateDir());
        boolean startsRun = Builtins.startsRun(words);
        Set<String> before = startsRun ? runIds() : Set.of();
        int code = runner.run(setup.commands(), args, String.join(" ", words.subList(0, Math.min(3, words.size()))), startsRun);
        if (startsRun) {
            Set<String> after = new HashSet<>(runIds());
            after.removeAll(before);
            Optional<String> started = after.stream().max(String::compareTo);
            if (started.isEmpty() && words.size() > 2 && words.get(0).equals("runs")) {
                started = Optional.of(words.get(2));
            }
            started.ifPresent(session::started);
        }
        return code;
    }

    private void report(int code) {
        if (code != 0) {
            out.println("(exit " + code + ExitMeaning.of(code).map(m -> ": " + m).orElse("") + ")");
        }
    }

    private Set<String> runIds() {
        try {
            return new HashSet<>(setup.runs().list().stream().map(RunSummary::runId).toList());
        } catch (OpsctlException | RuntimeException e) {
            return Set.of();
        }
    }

    /** What Tab offers at the end of {@code typed} (file names are not listed here). */
    public List<String> candidates(String typed) {
        return completer.at(typed).values();
    }

    Session session() {
        return session;
    }

    ShellCompleter completer() {
        return completer;
    }

    LineReader reader() {
        return reader;
    }

    Path historyFile() {
        return setup.stateDir().resolve(ShellHistory.FILE);
    }

    @Override
    public void close() throws IOException {
        setup.connections().closeAll();
        out.flush();
        terminal.close();
    }

    /** The terminal's stream for commands, which must not close it when they close theirs. */
    private static final class Unclosable extends java.io.FilterOutputStream {
        Unclosable(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
