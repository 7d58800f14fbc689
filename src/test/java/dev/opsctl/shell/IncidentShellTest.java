package dev.opsctl.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.app.RunSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncidentShellTest {
    @TempDir
    Path dir;

    @Test
    void runsOpsctlCommandsByNameAndSubcommand() throws Exception {
        ShellFixture f = new ShellFixture(dir);
        assertEquals(0, f.type("run deploy.yaml --yes", "runs list", "rollout userns-remap"));
        assertTrue(f.screen().contains("ran deploy.yaml"), f.screen());
        assertTrue(f.screen().contains("listed runs"), f.screen());
        assertTrue(f.screen().contains("rolled out userns-remap"), f.screen());
        assertEquals(List.of("run", "runs list", "rollout"), f.tree.calls.stream().map(FakeTree.Call::command).toList());
    }

    @Test
    void everyLineGetsAFreshTreeSoOptionsDoNotLeakIntoTheNext() throws Exception {
        ShellFixture f = new ShellFixture(dir);
        f.type("exec -i a.ini -l web1 --sudo -- uptime", "exec -i b.ini -- df -h");
        assertEquals(List.of("a.ini", "web1", "true", "uptime"), f.tree.calls.get(0).values());
        assertEquals(List.of("b.ini", "all", "false", "df -h"), f.tree.calls.get(1).values());
    }

    @Test
    void useSetsTheSessionInventoryForCommandsThatTakeOneAndShowsItInThePrompt() throws Exception {
        ShellFixture f = new ShellFixture(dir);
        f.type("use -i prod-inventory.ini", "exec -- uptime", "checklist run daily", "runs list", "exec -i other.ini -- uptime");
        Path inv = dir.resolve("prod-inventory.ini");
        assertEquals(List.of(inv.toString(), "all", "false", "uptime"), f.tree.calls.get(0).values());
        assertEquals(List.of("daily", inv.toString()), f.tree.calls.get(1).values());
        assertEquals(List.of("other.ini", "all", "false", "uptime"), f.tree.calls.get(3).values(), "a -i on the line wins");
        assertTrue(f.screen().contains("opsctl[prod-inventory]> "), f.screen());
        assertTrue(f.screen().contains("(3 hosts)"), f.screen());
    }

    @Test
    void useRefusesAnInventoryThatDoesNotLoadAndKeepsTheOldOne() throws Exception {
        ShellFixture f = new ShellFixture(dir);
        Files.writeString(dir.resolve("broken.yaml"), "all:\n  hosts: [unclosed\n");
        f.type("use -i prod-inventory.ini", "use -i broken.yaml", "use -i missing.ini", "use");
        assertTrue(f.screen().contains("does not load; the inventory in use is unchanged"), f.screen());
        assertTrue(f.screen().contains("error: no inventory file 'missing.ini'"), f.screen());
        assertTrue(f.screen().contains("inventory: " + dir.resolve("prod-inventory.ini") + " (commands"), f.screen());
    }

    @Test
    void shellStartedWithInventoryAndStateDirPassesThemOn() throws Exception {
        ShellFixture f = new ShellFixture(dir);
        Path inv = dir.resolve("prod-inventory.ini");
        Path state = dir.resolve("elsewhere");
        f.type(f.setup(Optional.of(inv), Optional.of(state)), "run x.yaml", "runs list", "use --none", "run y.yaml");
        assertEquals(List.of("x.yaml", inv.toString(), "[]", state.toString()), f.tree.calls.get(0).values());
        assertEquals(List.of(state.toString()), f.tree.calls.get(1).values());
        assertEquals(List.of("y.yaml", "null", "[]", state.toString()), f.tree.calls.get(2).values());
    }

    @Test
    void statusShowsThisShellsRunAndTheRecentRuns() throws Exception {
        ShellFixture f = new ShellFixture(dir);
        f.type("status");
        String s = f.screen();
        assertTrue(s.contains("this shell's run: none started in this session"), s);
        assertTrue(s.contains("  ID                           RUNBOOK        STATUS        STARTED              HOSTS"), s);
        assertTrue(s.contains("  20261122-0201-userns-remap   userns-remap   interrupted   2026-11-22 02:01:00  web1,web2"), s);
        assertTrue(s.contains("  20261121-2300-config-backup  config-backup  ok            2026-11-21 23:00:00  db1"), s);
    }

    @Test
    void statusNamesTheRunStartedInThisShell() throws Exception {
        ShellFixture f = new ShellFixture(dir);
        f.tree.onRun = () -> f.runs.add(0, new RunSummary("20261122-0300-deploy", "deploy", Instant.parse("2026-11-22T03:00:00Z"),
                "failed", List.of("web1"), "ops"));
        f.type("run deploy.yaml --yes", "status");
        assertTrue(f.screen().contains("this shell's run: 20261122-0300-deploy  deploy  failed"), f.screen());
        assertTrue(f.screen().contains("'runs resume 20261122-0300-deploy'"), f.screen());
    }

    @Test
    void errorsAndUnknownCommandsDoNotEndTheShell() throws Exception {
        ShellFixture f = new ShellFixture(dir);
        assertEquals(0, f.type("boom", "crash", "frobnicate", "exec -- uptime", "checklist run daily", "runs list"));
        String s = f.screen();
        assertTrue(s.contains("kaboom"), s);
        assertTrue(s.contains("internal error: java.lang.AssertionError: crashed hard (this is a bug; the shell goes on)"), s);
        assertTrue(s.contains("(exit 70: internal error)"), s);
        assertTrue(s.contains("(exit 2: usage or validation error)"), s);
        assertTrue(s.contains("(exit 5: a gate or checklist was not passed)"), s);
        assertTrue(s.contains("listed runs"), s);
    }

    @Test
    void exitAndQuitLeaveBeforeTheRestOfTheInput() throws Exception {
        ShellFixture f = new ShellFixture(dir);
        f.type("quit", "runs list");
        assertTrue(f.tree.calls.isEmpty());
        ShellFixture g = new ShellFixture(dir);
        g.type("exit", "runs list");
        assertTrue(g.tree.calls.isEmpty());
    }

    @Test
    void endOfInputLeavesTheShell() throws Exception {
        ShellFixture f = new ShellFixture(dir);
        assertEquals(0, f.type());
        assertTrue(f.screen().contains("opsctl> "), f.screen());
    }

    @Test
    void helpListsCommandsAndBuiltinsAndShowsACommandsHelp() throws Exception {
        ShellFixture f = new ShellFixture(dir);
        f.type("help", "help runs list");
        String s = f.screen();
        assertTrue(s.contains("exec         Run one shell command on every selected host."), s);
        assertTrue(s.contains("use -i FILE"), s);
        assertTrue(s.contains("Usage: opsctl runs list"), s);
    }

    @Test
    void shellInsideTheShellIsRefused() throws Exception {
        ShellFixture f = new ShellFixture(dir);
        f.type("shell");
        assertTrue(f.screen().contains("error: already in the opsctl shell"), f.screen());
    }

    @Test
    void historyIsKeptInTheStateDirPrivateAndSharedWithTheNextSession() throws Exception {
        ShellFixture f = new ShellFixture(dir);
        f.type("runs list", "exec -i prod-inventory.ini -- uptime");
        Path file = dir.resolve("state").resolve("shell_history");
        String saved = Files.readString(file);
        assertTrue(saved.contains("runs list") && saved.contains("exec -i prod-inventory.ini -- uptime"), saved);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));

        ShellFixture next = new ShellFixture(dir);
        next.type("history");
        assertTrue(next.screen().contains("1  runs list"), next.screen());
        assertTrue(next.screen().contains("2  exec -i prod-inventory.ini -- uptime"), next.screen());
    }

    @Test
    void historyFileIsNarrowedTo0600WhenItExistsWider() throws Exception {
        Path state = Files.createDirectories(dir.resolve("state"));
        Path file = Files.writeString(state.resolve("shell_history"), "");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        new ShellFixture(dir).type("runs list");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void linesWithSecretLookingParamsOrALeadingSpaceAreNotSaved() throws Exception {
        ShellFixture f = new ShellFixture(dir);
        f.type("run deploy.yaml -e DB_PASSWORD=hunter2", "run deploy.yaml -e api_token=abc123", " runs list", "run deploy.yaml -e replicas=3");
        String saved = Files.readString(dir.resolve("state").resolve("shell_history"));
        assertFalse(saved.contains("hunter2"), saved);
        assertFalse(saved.contains("abc123"), saved);
        assertFalse(saved.contains("runs list"), saved);
        assertTrue(saved.contains("replicas=3"), saved);
        assertEquals(4, f.tree.calls.size(), "the lines still ran");
    }

    /** Counts what the shell asks of the kept connections. */
    private static final class CountingConnections implements KeptConnections {
        int kept = 3;
        int closeAlls;

        @Override
        public java.time.Duration keptFor() {
            return java.time.Duration.ofMinutes(5);
        }

        @Override
        public int count() {
            return kept;
        }

        @Override
        public int closeAll() {
            closeAlls++;
            int n = kept;
            kept = 0;
            return n;
        }
    }

    @Test
    void statusCountsTheKeptConnectionsDisconnectClosesThemAndLeavingClosesTheRest() throws Exception {
        ShellFixture f = new ShellFixture(dir);
        CountingConnections c = new CountingConnections();
        f.connections = c;
        f.type("status", "disconnect", "status");
        String s = f.screen();
        assertTrue(s.contains("ssh connections: 3 kept for the next command (each closed after 5m unused; 'disconnect' closes them now)"), s);
        assertTrue(s.contains("ssh connections: closed 3 kept connections"), s);
        assertTrue(s.contains("ssh connections: 0 kept for the next command"), s);
        assertEquals(2, c.closeAlls, "once by 'disconnect', once when the shell ends");
    }

    @Test
    void timeRunsTheCommandAndPrintsItsWallTimeAndExit() throws Exception {
        ShellFixture f = new ShellFixture(dir);
        f.type("time exec -i a.ini -- uptime", "time boom", "time");
        assertEquals(List.of("a.ini", "all", "false", "uptime"), f.tree.calls.get(0).values());
        String s = f.screen();
        assertTrue(s.matches("(?s).*time: \\d+\\.\\d{3}s \\(exit 0\\).*"), s);
        assertTrue(s.matches("(?s).*time: \\d+\\.\\d{3}s \\(exit [1-9]\\d*\\).*"), s);
        assertTrue(s.contains("error: usage: time COMMAND [ARGS...]"), s);
    }
}
