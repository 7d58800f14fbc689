package dev.opsctl.report;

import dev.opsctl.checklist.run.ChecklistResult;
import dev.opsctl.checklist.run.Evidence;
import dev.opsctl.checklist.run.ItemResult;
import dev.opsctl.source.Durations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * A checklist result as a Markdown report (for the change record): title, when, who, the verdict, a
 * table of every item and a section per item with its notes and evidence. Everything in it was masked
 * by the runner; this class adds nothing from outside the result.
 */
public final class ChecklistMarkdown {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx");

    private ChecklistMarkdown() {}

    public static String render(ChecklistResult r, ZoneId zone) {
        StringBuilder out = new StringBuilder();
        out.append("# Checklist: ").append(escape(r.title())).append("\n\n");
        out.append("- Checklist: `").append(r.name()).append("`\n");
        out.append("- Started: ").append(WHEN.format(r.started().atZone(zone))).append('\n');
        out.append("- Finished: ").append(WHEN.format(r.finished().atZone(zone))).append(" (").append(Durations.format(r.elapsed()))
                .append(")\n");
        out.append("- Operator: ").append(escape(r.operator())).append('\n');
        if (!r.hosts().isEmpty()) {
            out.append("- Hosts: ").append(escape(String.join(", ", r.hosts()))).append('\n');
        }
        if (!r.params().isEmpty()) {
            out.append("- Params: ");
            String sep = "";
            for (var e : r.params().entrySet()) {
                out.append(sep).append('`').append(e.getKey()).append('=').append(e.getValue().replace("`", "'")).append('`');
                sep = ", ";
            }
            out.append('\n');
        }
        out.append("- **Verdict: ").append(r.verdict().toUpperCase(java.util.Locale.ROOT).charAt(0)).append(r.verdict().substring(1))
                .append("**\n\n");
        out.append("| Status | Item | Host | Check | Operator | Time | Note |\n");
        out.append("|---|---|---|---|---|---|---|\n");
        for (ItemResult i : r.items()) {
            out.append("| ").append(badge(i)).append(" | `").append(i.itemId()).append("` | ").append(i.host().orElse("-"))
                    .append(" | ").append(escape(i.text())).append(" | ").append(escape(i.operator())).append(" | ")
                    .append(WHEN.format(i.at().atZone(zone))).append(" | ").append(escape(ChecklistTable.oneLine(i.note()))).append(" |\n");
        }
        out.append("\n## Evidence\n");
        for (ItemResult i : r.items()) {
            if (i.evidence().isEmpty()) {
                continue;
            }
            out.append("\n### `").append(i.key()).append("`: ").append(i.status().label()).append("\n\n");
            for (Evidence e : i.evidence()) {
                out.append("- ").append(WHEN.format(e.at().atZone(zone))).append(": `").append(e.probe().replace("`", "'")).append("` ")
                        .append(e.outcome()).append(e.held() ? ", expectation held" : ", expectation not met").append('\n');
                e.fields().forEach((k, v) -> {
                    if (v.contains("\n") || v.length() > 80) {
                        out.append("  - ").append(k).append(":\n\n    ```\n");
                        v.strip().lines().forEach(l -> out.append("    ").append(l.replace("```", "'''")).append('\n'));
                        out.append("    ```\n\n");
                    } else {
                        out.append("  - ").append(k).append(": `").append(v.replace("`", "'")).append("`\n");
                    }
                });
            }
        }
        return out.toString();
    }

    /** Writes the report readable by its owner only (0600), replacing any older one. */
    public static void write(ChecklistResult r, ZoneId zone, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } else {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(file, render(r, zone), StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    }

    private static String badge(ItemResult i) {
        return switch (i.status()) {
            case PASSED -> "passed";
            case FAILED -> "**FAILED**";
            case SKIPPED -> "skipped";
            case UNANSWERED -> "**UNANSWERED**";
        };
    }

    private static String escape(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
