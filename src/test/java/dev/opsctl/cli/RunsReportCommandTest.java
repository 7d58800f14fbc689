package dev.opsctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.app.Env;
import dev.opsctl.app.ReportService;
import dev.opsctl.report.Journals;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RunsReportCommandTest {
    private static final String ID = "20261122-020100-7f3a";

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private Path state;

    @BeforeEach
    void setUp() throws Exception {
        state = tmp.resolve("state");
        Path run = Files.createDirectories(state.resolve("runs").resolve(ID));
        Files.copy(Journals.path(Journals.ROLLED_BACK), run.resolve("journal.jsonl"));
    }

    private int run(String... args) {
        Env env = new Env(state, Clock.fixed(Instant.parse("2026-11-22T03:00:00Z"), ZoneId.of("UTC")), "alice", false, Map.of());
        CommandLine cmd = new CommandLine(new RunsReportCommand(new ReportService(env)));
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    private String streams() {
        return "stdout:\n" + out + "\nstderr:\n" + err;
    }

    @Test
    void writesBothReportsIntoTheRunDirectoryByDefault() throws Exception {
        assertEquals(0, run(ID), streams());
        Path dir = state.resolve("runs").resolve(ID);
        assertEquals(dir.resolve("report.md") + "\n" + dir.resolve("report.html") + "\n", out.toString(), streams());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("report.html"))));
        assertTrue(Files.readString(dir.resolve("report.html")).contains("<svg"));
    }

    @Test
    void writesOneFileNamedByOutputInTheFormatItsExtensionSays() throws Exception {
        Path file = tmp.resolve("incident.html");
        assertEquals(0, run(ID, "-o", file.toString()), streams());
        assertTrue(Files.readString(file).startsWith("<!DOCTYPE html>"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(Files.notExists(state.resolve("runs").resolve(ID).resolve("report.md")));
    }

    @Test
    void printsMarkdownWithDashAsOutput() {
        assertEquals(0, run(ID, "--format", "md", "-o", "-"), streams());
        assertTrue(out.toString().startsWith("# Run " + ID + ": userns-remap — ↺ rolled back (exit 3)"), streams());
    }

    @Test
    void unknownRunIsAUsageErrorNamingTheFix() {
        assertEquals(2, run("20990101-000000-beef"), streams());
        assertTrue(err.toString().startsWith("error: no run '20990101-000000-beef' in '"), streams());
        assertTrue(err.toString().contains("see 'opsctl runs list'"), streams());
    }

    @Test
    void badFormatAndUnguessableExtensionAreUsageErrors() {
        assertEquals(2, run(ID, "--format", "pdf"), streams());
        assertTrue(err.toString().contains("--format must be md, html or both, not 'pdf'"), streams());
        assertEquals(2, run(ID, "-o", tmp.resolve("report.txt").toString()), streams());
        assertTrue(err.toString().contains("name it .md or .html, or pass --format md|html"), streams());
        assertEquals(2, run(ID, "-o", "-"), streams());
    }
}
