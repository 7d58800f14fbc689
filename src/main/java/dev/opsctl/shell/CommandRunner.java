package dev.opsctl.shell;

import dev.opsctl.checklist.run.ChecklistPrompter;
import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.execute.StopSignal;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jline.terminal.Terminal;

/**
 * Runs one typed command on a worker thread while the shell owns Ctrl-C. The first Ctrl-C stops the
 * command the way the command expects: a command that runs the engine (run, rollout, runs resume,
 * runs rollback) gets its {@link StopSignal} requested, so it stops its steps and journals where it
 * stopped, even when Ctrl-C comes before it has started; its thread is never interrupted then,
 * because an interrupt closes the journal's file channel under it. Any other command is interrupted.
 * A second Ctrl-C interrupts the worker in any case; a third gives the prompt back and leaves the
 * command to finish in the background. Nothing a command does, thrown or returned, ends the shell.
 */
final class CommandRunner {
    static final int INTERNAL_ERROR = 70;

    private final Terminal terminal;
    private final PrintStream out;
    private final PrintStream err;
    private final ChecklistPrompter prompter;

    CommandRunner(Terminal terminal, PrintStream out, PrintStream err, ChecklistPrompter prompter) {
        this.terminal = terminal;
        this.out = out;
        this.err = err;
        this.prompter = prompter;
    }

    /**
     * @param what the command as typed, for messages
     * @param engine whether the command runs the engine and so takes the line's stop
     */
    int run(CommandTree tree, List<String> args, String what, boolean engine) {
        StopSignal stop = new StopSignal();
        AtomicBoolean engineStop = new AtomicBoolean(engine);
        Supplier<StopSignal> stops = () -> {
            engineStop.set(true);
            return stop;
        };
        CompletableFuture<Integer> result = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                result.complete(tree.create(new ShellLine(out, err, stops, prompter)).execute(args.toArray(String[]::new)));
            } catch (RuntimeException | Error e) {
                err.println("internal error: " + e + " (this is a bug; the shell goes on)");
                result.complete(INTERNAL_ERROR);
            } finally {
                out.flush();
                err.flush();
            }
        }, "opsctl-command");
        worker.setDaemon(true);
        AtomicInteger presses = new AtomicInteger();
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> {
            switch (presses.incrementAndGet()) {
                case 1 -> {
                    stop.request();
                    if (!engineStop.get()) {
                        // a run reports its own stop (and redraws its progress lines, which a line here would garble)
                        err.println();
                        err.println("interrupt: stopping '" + what + "' (Ctrl-C again to force)");
                        worker.interrupt();
                    }
                }
                case 2 -> {
                    err.println();
                    err.println("interrupt: interrupting '" + what + "' (Ctrl-C once more to leave it and get the prompt back)");
                    worker.interrupt();
                }
                default -> {
                    err.println("interrupt: left '" + what + "' running in the background; its output may still appear");
                    result.complete(ExitCodes.INTERRUPTED);
                }
            }
            err.flush();
        });
        try {
            worker.start();
            return await(result);
        } finally {
            terminal.handle(Terminal.Signal.INT, previous);
            // a late interrupt aimed at the worker must not reach the shell's own thread; clear any stray flag
            Thread.interrupted();
        }
    }

    private static int await(CompletableFuture<Integer> result) {
        while (true) {
            try {
                return result.get();
            } catch (InterruptedException e) {
                // the shell thread is never the one Ctrl-C interrupts; keep waiting for the command
            } catch (ExecutionException e) {
                return INTERNAL_ERROR;
            }
        }
    }
}
