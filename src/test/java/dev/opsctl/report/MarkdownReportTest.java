package dev.opsctl.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Golden text: {@code journals/X.jsonl} renders exactly as {@code journals/X.md}. Set -Dgolden.update=true to rewrite them. */
class MarkdownReportTest {
    private static final ZoneId UTC = ZoneId.of("UTC");

    @ParameterizedTest
    @ValueSource(strings = {Journals.OK, Journals.FAILED, Journals.ROLLED_BACK})
    void rendersTheGoldenMarkdown(String journal) throws IOException {
        String actual = MarkdownReport.render(Journals.report(journal), UTC);
        Path golden = Journals.path(journal).resolveSibling(journal.replace(".jsonl", ".md"));
        if (Boolean.getBoolean("golden.update")) {
            Path src = Path.of("src/test/resources/journals").resolve(golden.getFileName());
            Files.writeString(src, actual, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(golden, StandardCharsets.UTF_8), actual);
    }

    @Test
    void markupInAMessageIsEscapedAndCannotBreakTheTable() {
        String md = MarkdownReport.render(Journals.report(Journals.FAILED), UTC);
        assertFalse(java.util.regex.Pattern.compile("(?<!\\\\)<").matcher(md).find(), "an unescaped '<':\n" + md);
        assertTrue(md.contains("\\<script>alert('x')\\</script> \\| Job failed & see journalctl |"), md);
    }

    @Test
    void secretsStayMaskedAsTheJournalKeepsThem() {
        String md = MarkdownReport.render(Journals.report(Journals.ROLLED_BACK), UTC);
        assertTrue(md.contains("`slack_webhook=********`"), md);
    }

    @Test
    void timesAreShownInTheZoneAskedFor() {
        String md = MarkdownReport.render(Journals.report(Journals.ROLLED_BACK), ZoneId.of("Asia/Tokyo"));
        assertTrue(md.contains("| Started | 2026-11-22 11:01:00 JST |"), md);
    }
}
