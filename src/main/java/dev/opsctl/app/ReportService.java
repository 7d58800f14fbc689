package dev.opsctl.app;

import dev.opsctl.engine.journal.RunId;
import dev.opsctl.engine.journal.RunStore;
import dev.opsctl.report.HtmlReport;
import dev.opsctl.report.JournalReport;
import dev.opsctl.report.MarkdownReport;
import dev.opsctl.report.ReportFiles;
import dev.opsctl.report.RunReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code opsctl runs report ID}: the run's Markdown and HTML reports, built from its journal. By
 * default they go into the run directory ({@code report.md}, {@code report.html}); {@code -o FILE}
 * writes one report elsewhere. Every file is written with mode 0600. Times are in the clock's zone.
 */
public final class ReportService {
    private final Env env;

    public ReportService(Env env) {
        this.env = env;
    }

    /** The report model of a run, for callers that render it themselves. */
    public RunReport load(String runId) throws OpsctlException {
        RunStore store = new RunStore(env.stateDir());
        Path journal = store.journal(runId);
        if (!RunId.isValid(runId) || !Files.isRegularFile(journal)) {
            throw OpsctlException.usage("no run '" + runId + "' in '" + store.runsDir() + "'; see 'opsctl runs list'");
        }
        try {
            return JournalReport.read(journal);
        } catch (IOException e) {
            throw OpsctlException.refused("cannot read run " + runId + ": " + e.getMessage());
        }
    }

    /** One report as text: {@code format} md or html. */
    public String render(String runId, ReportFiles.Format format) throws OpsctlException {
        RunReport r = load(runId);
        return switch (format) {
            case MD -> MarkdownReport.render(r, env.clock().getZone());
            case HTML -> HtmlReport.render(r, env.clock().getZone());
            case BOTH -> throw OpsctlException.usage("choose one format to render: md or html");
        };
    }

    /**
     * Writes the reports and returns the files written. Without {@code output}: into the run
     * directory. With it: one file; {@code BOTH} then takes the format from its extension.
     */
    public List<Path> write(String runId, ReportFiles.Format format, Optional<Path> output) throws OpsctlException {
        RunReport r = load(runId);
        try {
            if (output.isEmpty()) {
                return ReportFiles.write(r, new RunStore(env.stateDir()).runDir(runId), format, env.clock().getZone());
            }
            Path file = output.get();
            ReportFiles.Format one = format == ReportFiles.Format.BOTH ? fromExtension(file) : format;
            String text = one == ReportFiles.Format.MD ? MarkdownReport.render(r, env.clock().getZone())
                    : HtmlReport.render(r, env.clock().getZone());
            return List.of(ReportFiles.write(file, text));
        } catch (IOException e) {
            throw OpsctlException.refused("cannot write the report of run " + runId + ": " + e.getMessage());
        }
    }

    static ReportFiles.Format fromExtension(Path file) throws OpsctlException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".md") || name.endsWith(".markdown")) {
            return ReportFiles.Format.MD;
        }
        if (name.endsWith(".html") || name.endsWith(".htm")) {
            return ReportFiles.Format.HTML;
        }
        throw OpsctlException.usage("cannot tell the format of '" + file + "' from its name\n"
                + "  fix: name it .md or .html, or pass --format md|html");
    }
}
