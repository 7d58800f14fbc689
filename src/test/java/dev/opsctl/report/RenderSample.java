package dev.opsctl.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;

/** Writes the sample reports to a directory, for looking at them by eye: {@code RenderSample DIR}. Not a test. */
public final class RenderSample {
    private RenderSample() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        for (String j : new String[] {Journals.OK, Journals.FAILED, Journals.ROLLED_BACK}) {
            RunReport r = Journals.report(j);
            String base = j.replace(".jsonl", "");
            Files.writeString(dir.resolve(base + ".html"), HtmlReport.render(r, ZoneId.of("UTC")));
            Files.writeString(dir.resolve(base + ".md"), MarkdownReport.render(r, ZoneId.of("UTC")));
        }
    }
}
