package dev.opsctl.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.engine.journal.HostRecord;
import dev.opsctl.engine.journal.JournalWriter;
import dev.opsctl.engine.journal.RunHeader;
import dev.opsctl.event.RunEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {
    @TempDir
    Path state;

    private final List<String> warnings = new ArrayList<>();

    private Path runDir(String journal, int lines) throws IOException {
        RunReport r = Journals.report(journal);
        Path dir = Files.createDirectories(state.resolve("runs").resolve(r.runId()));
        List<String> all = Files.readAllLines(Journals.path(journal));
        Files.write(dir.resolve("journal.jsonl"), all.subList(0, lines < 0 ? all.size() : lines));
        return dir;
    }

    private ReportWriter writer() {
        return new ReportWriter(id -> state.resolve("runs").resolve(id), ZoneId.of("UTC"), warnings::add);
    }

    private static RunEvent.RunFinished finished(String id, String status, int code) {
        return new RunEvent.RunFinished(id, Instant.parse("2026-11-23T03:00:11.100Z"), status, code, 11_100, Map.of(), "");
    }

    @Test
    void writesBothReportsOwnerOnlyWhenTheRunFinishes() throws IOException {
        Path dir = runDir(Journals.FAILED, -1);
        ReportWriter w = writer();
        w.accept(new RunEvent.Notice("20261123-030000-c0de", Instant.now(), "info", "", "hello"));
        assertFalse(Files.exists(dir.resolve("report.md")), "nothing before run-finished");
        w.accept(finished("20261123-030000-c0de", "failed", 1));
        for (String f : List.of("report.md", "report.html")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(f))), f);
        }
        assertTrue(Files.readString(dir.resolve("report.md")).startsWith("# Run 20261123-030000-c0de: deploy-web — ✗ failed (exit 1)"));
        assertEquals(List.of(), warnings);
        try (var s = Files.list(dir)) {
            assertEquals(3, s.count(), "no temporary files left behind");
        }
    }

    @Test
    void foldsInTheFinishWhenTheJournalHasNotWrittenItYet() throws IOException {
        Path dir = runDir(Journals.FAILED, 15);
        writer().accept(finished("20261123-030000-c0de", "failed", 1));
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("| Status | **failed** — exit 1: a step failed and the run halted |"), md);
    }

    @Test
    void reportThatCannotBeWrittenIsAWarningNotAnException() throws IOException {
        Path dir = runDir(Journals.FAILED, -1);
        Files.writeString(dir.resolve("journal.jsonl"), "garbage\n");
        writer().accept(finished("20261123-030000-c0de", "failed", 1));
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).startsWith("cannot write the run report in '"), warnings.get(0));
    }

    @Test
    void aReportFoldedWhileTheJournalIsWrittenIsTheOneReadBackFromIt() throws IOException {
        Path dir = Files.createDirectories(state.resolve("runs").resolve(SampleEvents.RUN));
        ReportWriter live = writer();
        List<RunEvent> events = new ArrayList<>(SampleEvents.failingRun());
        // a host's words cut at a character count, inside an emoji: a lone surrogate, which UTF-8 cannot hold
        String cut = ("x".repeat(199) + "🚀 deployed").substring(0, 200);
        events.add(events.size() - 1, new RunEvent.Notice(SampleEvents.RUN, SampleEvents.at(8), "warning", "web2", cut));
        try (JournalWriter journal = JournalWriter.open(dir, text -> text.replace("hunter2", "********"))) {
            journal.observe(live.liveRecords());
            journal.started(new RunHeader(SampleEvents.RUN, "userns-remap", "runbooks/userns-remap.yaml", "abc123",
                    Map.of("drain_wait", "2m", "token", "hunter2", "retries", "3"), Optional.of("inventory.yaml"),
                    List.of(new HostRecord("web1", "10.0.0.1", 22, "ops", "ssh"), new HostRecord("web2", "10.0.0.2", 2222, "ops", "ssh")),
                    List.of(), Map.of("forks", 5, "dry_run", false), "alice", "ctl1", 42, SampleEvents.T0));
            events.forEach(journal::append);
        }
        // the live report must not read the journal: make it unreadable as a journal before the finish arrives
        Path journal = dir.resolve("journal.jsonl");
        byte[] written = Files.readAllBytes(journal);
        Files.writeString(journal, "garbage\n");
        live.accept(events.get(events.size() - 1));
        String liveMd = Files.readString(dir.resolve("report.md"));
        String liveHtml = Files.readString(dir.resolve("report.html"));

        Files.write(journal, written);
        writer().accept(events.get(events.size() - 1));
        assertEquals(List.of(), warnings);
        assertTrue(liveMd.contains("rolled_back") && liveMd.contains("10.0.0.2") && !liveMd.contains("hunter2"), liveMd);
        assertTrue(liveMd.contains("x".repeat(199) + "?"), "the cut emoji as the journal holds it: " + liveMd);
        assertEquals(Files.readString(dir.resolve("report.md")), liveMd);
        assertEquals(Files.readString(dir.resolve("report.html")), liveHtml);
    }

    @Test
    void aLiveFoldThatCannotFoldARecordLeavesTheReportToTheJournal() throws IOException {
        Path dir = runDir(Journals.FAILED, -1);
        ReportWriter w = writer();
        w.liveRecords().accept(Map.of("type", "run-started", "time", "not a time"));
        w.accept(finished("20261123-030000-c0de", "failed", 1));
        assertEquals(List.of(), warnings);
        assertTrue(Files.readString(dir.resolve("report.md")).startsWith("# Run 20261123-030000-c0de: deploy-web"));
    }
}
