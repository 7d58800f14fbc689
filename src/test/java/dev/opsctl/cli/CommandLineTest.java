package dev.opsctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CommandLineTest {
    @TempDir
    Path tmp;

    @Test
    void versionNamesOpsctlAndJavaAndExitsZero() {
        CliResult r = CliResult.run("--version");
        assertEquals(0, r.code(), r.dump());
        assertTrue(r.out().startsWith("opsctl "), r.dump());
        assertTrue(r.out().contains("java 17") || r.out().contains("java "), r.dump());
        assertEquals("", r.err(), r.dump());
    }

    @Test
    void versionThroughPicocliMatchesTheFastPath() {
        CliResult fast = CliResult.run("-V");
        CliResult sub = CliResult.run("validate", "--version");
        assertEquals(0, sub.code(), sub.dump());
        assertEquals(fast.out(), sub.out());
    }

    @Test
    void everyCommandsHelpHasAnExamplesSection() {
        List<List<String>> paths = new ArrayList<>();
        collect(OpsctlCommand.commandLine(CliEnvs.quiet()), new ArrayList<>(), paths);
        assertTrue(paths.size() >= 12, "expected every command, got " + paths);
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            CliResult r = CliResult.run(args.toArray(String[]::new));
            assertEquals(0, r.code(), String.join(" ", args) + "\n" + r.dump());
            assertTrue(r.out().contains("Examples:"), String.join(" ", args) + " has no Examples:\n" + r.dump());
        }
    }

    private static void collect(CommandLine c, List<String> path, List<List<String>> into) {
        into.add(path);
        c.getSubcommands().forEach((name, sub) -> {
            List<String> p = new ArrayList<>(path);
            p.add(name);
            collect(sub, p, into);
        });
    }

    @Test
    void unknownOptionIsAUsageErrorWithOneLineAndWhereHelpIs() {
        CliResult r = CliResult.run("run", "x.yaml", "--bogus");
        assertEquals(2, r.code(), r.dump());
        assertTrue(r.err().contains("error: unknown option '--bogus' for 'opsctl run'"), r.dump());
        assertTrue(r.err().contains("try 'opsctl run --help'"), r.dump());
        assertEquals("", r.out(), r.dump());
    }

    @Test
    void misspelledCommandGetsADidYouMean() {
        CliResult r = CliResult.run("rollot", "x");
        assertEquals(2, r.code(), r.dump());
        assertTrue(r.err().contains("error: unknown command 'rollot' for 'opsctl'"), r.dump());
        assertTrue(r.err().contains("hint: did you mean 'rollout'?"), r.dump());
    }

    @Test
    void misspelledOptionGetsADidYouMean() {
        CliResult r = CliResult.run("run", "x.yaml", "--dryrun");
        assertEquals(2, r.code(), r.dump());
        assertTrue(r.err().contains("hint: did you mean '--dry-run'?"), r.dump());
    }

    @Test
    void noCommandIsAUsageError() {
        CliResult r = CliResult.run();
        assertEquals(2, r.code(), r.dump());
        assertTrue(r.err().contains("try 'opsctl --help'"), r.dump());
    }

    @Test
    void paramWithoutEqualsSignIsRejectedWithAnExample() {
        CliResult r = CliResult.run("plan", "x.yaml", "-e", "drain_wait");
        assertEquals(2, r.code(), r.dump());
        assertTrue(r.err().contains("expected KEY=VALUE but got 'drain_wait'"), r.dump());
    }

    @Test
    void badDurationIsRejectedWithExamples() {
        CliResult r = CliResult.run("runs", "list", "--since", "soon");
        assertEquals(2, r.code(), r.dump());
        assertTrue(r.err().contains("'soon' is not a duration"), r.dump());
    }

    @Test
    void rolloutOfAnUnknownRunbookSaysWhereItLookedAndHowToList() {
        CliResult r = CliResult.run(Map.of("OPSCTL_HOME", tmp.toString()), tmp, "rollout", "no-such-runbook");
        assertEquals(2, r.code(), r.dump());
        assertTrue(r.err().contains("no runbook named 'no-such-runbook' in " + tmp.resolve("runbooks")), r.dump());
        assertTrue(r.err().contains("opsctl runbooks list"), r.dump());
    }

    @Test
    void runOfAMissingFileIsAUsageError() {
        CliResult r = CliResult.run(Map.of(), tmp, "run", "missing.yaml");
        assertEquals(2, r.code(), r.dump());
        assertTrue(r.err().contains("no runbook file 'missing.yaml'"), r.dump());
    }

    @Test
    void validateReportsABrokenFileWithFileLineColumnAndExitsTwo() throws IOException {
        Files.createDirectories(tmp.resolve("rb"));
        Files.writeString(tmp.resolve("rb/broken.yaml"), "apiVersion: opsctl/v1\nkind: Runbook\nsteps: [\n  - id: x\n");
        CliResult r = CliResult.run(Map.of(), tmp, "validate", "rb");
        assertEquals(2, r.code(), r.dump());
        assertTrue(r.err().matches("(?s).*rb/broken\\.yaml:\\d+:\\d+: error: .*"), r.dump());
        assertTrue(r.out().contains("failed: 1 of 1 file"), r.dump());
    }

    @Test
    void validateOfTheShippedRunbooksDirectoryIsCleanAndLeavesIncludedPartsToTheirRunbooks() {
        CliResult r = CliResult.run("validate", "runbooks");
        assertEquals(0, r.code(), r.dump());
        assertTrue(r.out().startsWith("ok: "), r.dump());
        CliResult part = CliResult.run("validate", "runbooks/incident/parts/escalation.yaml");
        assertEquals(2, part.code(), "a part named explicitly is still checked on its own\n" + part.dump());
        assertTrue(part.err().contains("a 'kind: Steps' file can only be included by a runbook"), part.dump());
    }

    @Test
    void validateOfAMissingPathIsAUsageError() {
        CliResult r = CliResult.run(Map.of(), tmp, "validate", "nowhere.yaml");
        assertEquals(2, r.code(), r.dump());
        assertTrue(r.err().contains("no such file or directory 'nowhere.yaml'"), r.dump());
    }

    @Test
    void runbooksListShowsNamesAndDescriptionsFromOpsctlHome() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("home/runbooks"));
        Files.writeString(dir.resolve("hello.yaml"),
                "apiVersion: opsctl/v1\nkind: Runbook\nmetadata:\n  name: hello\n  description: Say hello\n");
        CliResult r = CliResult.run(Map.of("OPSCTL_HOME", tmp.resolve("home").toString()), tmp, "runbooks", "list");
        assertEquals(0, r.code(), r.dump());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("hello\\s+Say hello")), r.dump());
    }

    private static final String HELLO = """
            apiVersion: opsctl/v1
            kind: Runbook
            metadata:
              name: hello
              description: Say hello
            params:
              greeting: {type: string, default: hi}
              token: {type: secret, default: s3cr3t-value}
            steps:
              - id: greet
                shell: echo {{ greeting }}
                timeout: 30s
            """;

    @Test
    void validateOfGoodRunbooksPrintsOkWithTheFileCount() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("runbooks"));
        Files.writeString(dir.resolve("hello.yaml"), HELLO);
        Files.writeString(dir.resolve("again.yml"), HELLO.replace("name: hello", "name: again"));
        CliResult r = CliResult.run(Map.of(), tmp, "validate", "runbooks");
        assertEquals(0, r.code(), r.dump());
        assertEquals("ok: 2 files\n", r.out(), r.dump());
    }

    @Test
    void runbooksShowListsParamsStepsAndStepTypesWithSecretsMasked() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("runbooks"));
        Files.writeString(dir.resolve("hello.yaml"), HELLO);
        CliResult r = CliResult.run(Map.of(), tmp, "runbooks", "show", "hello");
        assertEquals(0, r.code(), r.dump());
        assertTrue(r.out().startsWith("hello  (runbooks/hello.yaml)\n  Say hello\n"), r.dump());
        assertTrue(r.out().matches("(?s).*greeting\\s+string\\s+default 'hi'.*"), r.dump());
        assertTrue(r.out().matches("(?s).*1\\. greet\\s+shell\\s+echo .*\\[timeout 30s\\].*"), r.dump());
        assertTrue(r.out().contains("step types used:\n  shell: "), r.dump());
        assertFalse(r.out().contains("s3cr3t-value") || r.err().contains("s3cr3t-value"), r.dump());
    }

    @Test
    void runbooksShowOfABrokenRunbookPrintsItsProblemsAndExitsTwo() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("runbooks"));
        Files.writeString(dir.resolve("hello.yaml"), HELLO.replace("timeout: 30s", "timeuot: 30s"));
        CliResult r = CliResult.run(Map.of(), tmp, "runbooks", "show", "hello");
        assertEquals(2, r.code(), r.dump());
        assertTrue(r.err().contains("runbooks/hello.yaml:12:5: error: unknown key 'timeuot' in step 'greet'"), r.dump());
        assertTrue(r.err().contains("hint: did you mean 'timeout'?"), r.dump());
    }

    @Test
    void completionPrintsABashScriptForOpsctl() {
        CliResult r = CliResult.run("completion", "bash");
        assertEquals(0, r.code(), r.dump());
        assertTrue(r.out().contains("complete -F _complete_opsctl"), r.dump());
        CliResult z = CliResult.run("completion", "zsh");
        assertTrue(z.out().startsWith("#compdef opsctl"), z.dump());
        assertTrue(z.out().contains("bashcompinit"), z.dump());
        assertFalse(CliResult.run("completion", "fish").code() == 0);
    }
}
