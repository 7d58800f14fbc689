package dev.opsctl.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.checklist.run.ChecklistPrompter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class CommandRunnerTest {
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(screen, true, StandardCharsets.UTF_8);

    private Terminal terminal() throws Exception {
        return new DumbTerminal("test", "dumb", new ByteArrayInputStream(new byte[0]), screen, StandardCharsets.UTF_8);
    }

    /** Runs {@code args} and presses Ctrl-C {@code presses} times once the command is running. */
    private int interrupt(FakeTree tree, Terminal t, int presses, String... args) throws Exception {
        CommandRunner runner = new CommandRunner(t, out, out, ChecklistPrompter.NONE);
        boolean engine = List.of(args).contains("--engine");
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> runner.run(tree, List.of(args), String.join(" ", args), engine));
        assertTrue(tree.running.await(10, TimeUnit.SECONDS), "the command started");
        for (int i = 0; i < presses; i++) {
            t.raise(Terminal.Signal.INT);
        }
        return code.get(10, TimeUnit.SECONDS);
    }

    @Test
    void ctrlCRequestsTheStopOfACommandThatRunsTheEngine() throws Exception {
        FakeTree tree = new FakeTree();
        try (Terminal t = terminal()) {
            assertEquals(130, interrupt(tree, t, 1, "hang", "--engine"));
        }
        assertEquals(List.of("stopped"), tree.calls.get(0).values());
    }

    @Test
    void ctrlCInterruptsAnyOtherCommandAndSaysSo() throws Exception {
        FakeTree tree = new FakeTree();
        try (Terminal t = terminal()) {
            assertEquals(130, interrupt(tree, t, 1, "hang"));
        }
        assertEquals(List.of("interrupted"), tree.calls.get(0).values());
        assertTrue(screen.toString(StandardCharsets.UTF_8).contains("interrupt: stopping 'hang' (Ctrl-C again to force)"));
    }

    @Test
    void ctrlCBeforeAnEngineCommandTakesItsStopStopsItWithoutInterruptingItsThread() throws Exception {
        FakeTree tree = new FakeTree();
        try (Terminal t = terminal()) {
            CommandRunner runner = new CommandRunner(t, out, out, ChecklistPrompter.NONE);
            tree.beforeStart = () -> t.raise(Terminal.Signal.INT);
            assertEquals(130, runner.run(tree, List.of("hang", "--engine"), "hang --engine", true));
        }
        assertEquals(List.of("stopped"), tree.calls.get(0).values(), "seen through the stop, not an interrupt");
        assertTrue(!tree.interruptedBeforeStart, "the thread was not interrupted");
    }

    @Test
    void theShellsOwnCtrlCHandlerIsBackAfterTheCommand() throws Exception {
        FakeTree tree = new FakeTree();
        try (Terminal t = terminal()) {
            Terminal.SignalHandler mine = s -> {};
            t.handle(Terminal.Signal.INT, mine);
            interrupt(tree, t, 1, "hang", "--engine");
            assertEquals(mine, t.handle(Terminal.Signal.INT, Terminal.SignalHandler.SIG_DFL));
        }
    }

    @Test
    void aCommandThatIgnoresStopsIsLeftBehindAtTheThirdCtrlC() throws Exception {
        FakeTree tree = new FakeTree();
        tree.ignoreStops = true;
        try (Terminal t = terminal()) {
            assertEquals(130, interrupt(tree, t, 3, "hang", "--engine"));
        }
        assertTrue(screen.toString(StandardCharsets.UTF_8).contains("left 'hang --engine' running in the background"));
    }
}
