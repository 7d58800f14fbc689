package dev.opsctl.shell;

import dev.opsctl.checklist.run.ChecklistPrompter;
import dev.opsctl.engine.execute.StopSignal;
import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * What the shell lends the command it runs for one line: the terminal's streams, the stop that Ctrl-C
 * requests (a command that runs the engine takes it with {@code stop.get()}; any other command is
 * interrupted instead) and a checklist prompter on the shell's own terminal.
 */
public record ShellLine(PrintStream out, PrintStream err, Supplier<StopSignal> stop, ChecklistPrompter prompter) {}
