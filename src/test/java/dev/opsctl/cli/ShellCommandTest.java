package dev.opsctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.shell.IncidentShell;
import dev.opsctl.shell.ShellSetup;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code opsctl shell} over the real command tree: what cli hands the shell, and lines run through it. */
class ShellCommandTest {
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private ShellSetup setup;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(tmp.resolve("runbooks"));
        Files.writeString(tmp.resolve("runbooks/hello.yaml"), """
                apiVersion: opsctl/v1
                kind: Runbook
                metadata: {name: hello}
                steps:
                  - id: greet
                    shell: echo hello-from-the-shell
                """);
        Files.writeString(tmp.resolve("hosts.ini"), "[web]\nweb1 ansible_connection=local\nweb2 ansible_connection=local\n");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        CliEnv env = new CliEnv(quiet, quiet, Map.of("USER", "alice", "NO_COLOR", "1", "TERM", "dumb"), tmp, false);
        CommandLine cmd = OpsctlCommand.commandLine(env);
        CommandLine.ParseResult parsed = cmd.parseArgs("shell", "--state-dir", "state", "-i", "hosts.ini");
        setup = ((ShellCommand) parsed.subcommand().commandSpec().userObject()).setup();
    }

    private String type(String... lines) throws Exception {
        byte[] in = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        try (IncidentShell shell = IncidentShell.piped(setup, new ByteArrayInputStream(in), screen)) {
            assertEquals(0, shell.run());
        }
        return screen.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theSetupCarriesTheStateDirTheInventoryAndTheNamesToComplete() {
        assertEquals(tmp.resolve("state"), setup.stateDir());
        assertEquals(tmp.resolve("hosts.ini"), setup.inventory().orElseThrow());
        assertTrue(setup.runbooks().get().contains("hello"), setup.runbooks().get().toString());
        assertTrue(setup.checklists().get().contains("daily"), "the repo's checklists: " + setup.checklists().get());
    }

    @Test
    void completionComesFromTheRealCommandTree() throws Exception {
        try (IncidentShell shell = IncidentShell.piped(setup, new ByteArrayInputStream(new byte[0]), screen)) {
            assertTrue(shell.candidates("").containsAll(List.of("run", "rollout", "runs", "checklist", "exec", "plan", "status", "use")));
            assertTrue(shell.candidates("runs ").containsAll(List.of("list", "show", "resume")));
            assertTrue(shell.candidates("run x.yaml -").containsAll(List.of("--inventory", "--limit", "--dry-run", "--yes", "--forks")));
            assertTrue(shell.candidates("rollout ").contains("hello"));
            assertTrue(shell.candidates("checklist run ").contains("daily"));
            assertEquals(List.of("web1", "web2", "all", "web"), shell.candidates("rollout hello -l "));
        }
    }

    @Test
    void aRunStartedInTheShellIsJournaledInItsStateDirAndShownByStatusAndRunsList() throws Exception {
        String s = type("rollout hello --yes", "status", "runs list");
        assertTrue(s.contains("hosts: 2 ok"), "ran on both hosts of the session inventory:\n" + s);
        assertTrue(s.contains("this shell's run: "), s);
        assertTrue(!s.contains("none started in this session"), s);
        String id = s.substring(s.indexOf("this shell's run: ") + 18).split(" ")[0];
        assertTrue(Files.isDirectory(tmp.resolve("state/runs")), "journaled under the shell's --state-dir");
        assertTrue(s.contains(id + "  hello"), "runs list (with the shell's --state-dir) shows it:\n" + s);
        assertTrue(shellCandidates("runs show ").contains(id));
        assertTrue(shellCandidates("runs resume ").contains(id));
        assertTrue(shellCandidates("runs rollback ").contains(id));
    }

    private List<String> shellCandidates(String typed) throws Exception {
        try (IncidentShell shell = IncidentShell.piped(setup, new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream())) {
            return shell.candidates(typed);
        }
    }

    @Test
    void usageErrorsAreReportedAndTheShellGoesOn() throws Exception {
        String s = type("rollout no-such-runbook --yes", "runs show nope", "runs list");
        assertTrue(s.contains("error: no runbook named 'no-such-runbook'"), s);
        assertTrue(s.contains("(exit 2: usage or validation error)"), s);
    }

    @Test
    void keepingConnectionsLongerThanADayIsRefusedBeforeTheShellStarts() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        CliEnv env = new CliEnv(quiet, errStream, Map.of("USER", "alice", "NO_COLOR", "1", "TERM", "dumb"), tmp, false);
        int code = OpsctlCommand.commandLine(env).execute("shell", "--state-dir", "state", "--keep-connections", "25h");
        assertEquals(2, code, err.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--keep-connections 25h is longer than 24h"),
                err.toString(StandardCharsets.UTF_8));
    }
}
