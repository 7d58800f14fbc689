package dev.opsctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.report.Journals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunsReportCommandTest {
    private static final String ID = "20261122-020100-7f3a";

    @TempDir
    Path tmp;

    private Path state;

    @BeforeEach
    void setUp() throws Exception {
        state = tmp.resolve("state");
        Path run = Files.createDirectories(state.resolve("runs").resolve(ID));
        Files.copy(Journals.path(Journals.ROLLED_BACK), run.resolve("journal.jsonl"));
    }

    private CliResult run(String... args) {
        List<String> all = new ArrayList<>(List.of("runs", "report"));
        all.addAll(List.of(args));
        all.addAll(List.of("--state-dir", state.toString()));
        return CliResult.run(Map.of("TERM", "dumb", "USER", "alice", "TZ", "UTC"), tmp, all.toArray(String[]::new));
    }

    @Test
    void writesBothReportsIntoTheRunDirectoryByDefault() throws Exception {
        CliResult r = run(ID);
        assertEquals(0, r.code(), r.dump());
        Path dir = state.resolve("runs").resolve(ID);
        assertEquals(dir.resolve("report.md") + "\n" + dir.resolve("report.html") + "\n", r.out(), r.dump());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("report.html"))));
        assertTrue(Files.readString(dir.resolve("report.html")).contains("<svg"));
    }

    @Test
    void writesOneFileNamedByOutputInTheFormatItsExtensionSays() throws Exception {
        CliResult r = run(ID, "-o", "incident.html");
        assertEquals(0, r.code(), r.dump());
        Path file = tmp.resolve("incident.html");
        assertTrue(Files.readString(file).startsWith("<!DOCTYPE html>"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(Files.notExists(state.resolve("runs").resolve(ID).resolve("report.md")));
    }

    @Test
    void printsMarkdownWithDashAsOutput() {
        CliResult r = run(ID, "--format", "md", "-o", "-");
        assertEquals(0, r.code(), r.dump());
        assertTrue(r.out().startsWith("# Run " + ID + ": userns-remap — ↺ rolled back (exit 3)"), r.dump());
    }

    @Test
    void unknownRunIsAUsageErrorNamingTheFix() {
        CliResult r = run("20990101-000000-beef");
        assertEquals(2, r.code(), r.dump());
        assertTrue(r.err().startsWith("error: no run '20990101-000000-beef' in '"), r.dump());
        assertTrue(r.err().contains("see 'opsctl runs list'"), r.dump());
    }

    @Test
    void badFormatAndUnguessableExtensionAreUsageErrors() {
        CliResult bad = run(ID, "--format", "pdf");
        assertEquals(2, bad.code(), bad.dump());
        assertTrue(bad.err().contains("--format must be md, html or both, not 'pdf'"), bad.dump());
        CliResult txt = run(ID, "-o", "report.txt");
        assertEquals(2, txt.code(), txt.dump());
        assertTrue(txt.err().contains("name it .md or .html, or pass --format md|html"), txt.dump());
        assertEquals(2, run(ID, "-o", "-").code());
    }
}
