package dev.opsctl.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.checklist.run.ChecklistResult;
import dev.opsctl.checklist.run.Evidence;
import dev.opsctl.checklist.run.ItemResult;
import dev.opsctl.checklist.run.ItemStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChecklistMarkdownTest {
    private static final Instant T = Instant.parse("2026-11-22T02:00:00Z");

    static ChecklistResult result() {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        fields.put("rc", "0");
        fields.put("stdout", "[\"name=userns\"]");
        Evidence e = new Evidence("userns", Optional.of("web1"), T, "docker info --format '{{json .SecurityOptions}}'", "ok", true,
                fields);
        return new ChecklistResult("predeploy", "Before the rollout", "alice", T, T.plusSeconds(65), List.of("web1"),
                Map.of("token", "********"),
                List.of(new ItemResult("userns", "userns enabled", "items", Optional.of("web1"), false, ItemStatus.PASSED, "alice",
                                T.plusSeconds(5), "", List.of(e)),
                        new ItemResult("notified", "stakeholders | notified", "items", Optional.empty(), true, ItemStatus.UNANSWERED,
                                "alice", T.plusSeconds(60), "no answer", List.of())));
    }

    @Test
    void theReportHasTitleWhenWhoVerdictItemsAndEvidence() {
        String md = ChecklistMarkdown.render(result(), ZoneOffset.UTC);
        assertTrue(md.startsWith("# Checklist: Before the rollout\n"), md);
        assertTrue(md.contains("- Started: 2026-11-22 02:00:00 +00:00"), md);
        assertTrue(md.contains("(1m5s)"), md);
        assertTrue(md.contains("- Operator: alice"), md);
        assertTrue(md.contains("- **Verdict: Not passed: 1 passed, 1 unanswered**"), md);
        assertTrue(md.contains("| passed | `userns` | web1 | userns enabled | alice |"), md);
        assertTrue(md.contains("| **UNANSWERED** | `notified` | - | stakeholders \\| notified |"), md);
        assertTrue(md.contains("### `userns@web1`: passed"), md);
        assertTrue(md.contains("  - stdout: `[\"name=userns\"]`"), md);
        assertTrue(md.contains("`token=********`"), md);
    }

    @Test
    void theReportFileIsReadableByItsOwnerOnly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("reports/predeploy.md");
        ChecklistMarkdown.write(result(), ZoneOffset.UTC, file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(Files.readString(file).contains("Before the rollout"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        ChecklistMarkdown.write(result(), ZoneOffset.UTC, file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void theTableAndJsonCarryTheVerdict() {
        String table = ChecklistTable.render(result());
        assertTrue(table.contains("passed      userns@web1  userns enabled"), table);
        assertTrue(table.contains("evidence: ok rc=0 stdout=[\"name=userns\"]"), table);
        assertTrue(table.endsWith("not passed: 1 passed, 1 unanswered\n"), table);
        String json = ChecklistJson.render(result());
        assertTrue(json.contains("\"passed\":false"), json);
        assertTrue(json.contains("\"status\":\"unanswered\""), json);
        assertFalse(json.contains("\n"), "one line");
    }
}
