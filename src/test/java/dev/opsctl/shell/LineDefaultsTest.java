package dev.opsctl.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import dev.opsctl.checklist.run.ChecklistPrompter;
import dev.opsctl.engine.execute.StopSignal;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LineDefaultsTest {
    private final PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    private final CommandLine model = new FakeTree().create(new ShellLine(quiet, quiet, StopSignal::new, ChecklistPrompter.NONE));
    private final Optional<Path> inv = Optional.of(Path.of("/inv/prod.ini"));

    private List<String> apply(String... words) {
        return LineDefaults.apply(model, List.of(words), inv, Optional.of(Path.of("/state")));
    }

    @Test
    void insertedRightAfterTheCommandNameSoTheDoubleDashStaysLast() {
        assertEquals(List.of("exec", "--inventory", "/inv/prod.ini", "-l", "web1", "--", "uptime"), apply("exec", "-l", "web1", "--", "uptime"));
        assertEquals(List.of("checklist", "run", "--inventory", "/inv/prod.ini", "daily"), apply("checklist", "run", "daily"));
    }

    @Test
    void notAddedWhenTheLineGivesTheOptionInAnyForm() {
        assertEquals(List.of("exec", "-i", "a.ini", "--", "uptime"), apply("exec", "-i", "a.ini", "--", "uptime"));
        assertEquals(List.of("exec", "-ia.ini", "--", "uptime"), apply("exec", "-ia.ini", "--", "uptime"));
        assertEquals(List.of("exec", "--inventory=a.ini", "--", "uptime"), apply("exec", "--inventory=a.ini", "--", "uptime"));
    }

    @Test
    void aDashIAfterTheDoubleDashBelongsToTheRemoteCommand() {
        assertEquals(List.of("exec", "--inventory", "/inv/prod.ini", "--", "grep", "-i", "error"), apply("exec", "--", "grep", "-i", "error"));
    }

    @Test
    void onlyForCommandsThatHaveTheOption() {
        assertEquals(List.of("runs", "list", "--state-dir", "/state"), apply("runs", "list"));
        assertEquals(List.of("runs", "show", "20261122"), apply("runs", "show", "20261122"));
        assertEquals(List.of("run", "--inventory", "/inv/prod.ini", "--state-dir", "/state", "x.yaml"), apply("run", "x.yaml"));
    }

    @Test
    void rootFlagsBeforeTheCommandAreSkipped() {
        assertEquals(List.of("--debug", "runs", "list", "--state-dir", "/state"), apply("--debug", "runs", "list"));
    }
}
