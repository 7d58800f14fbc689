package dev.opsctl.cli;

import dev.opsctl.app.OpsctlException;
import dev.opsctl.app.ReportService;
import dev.opsctl.report.ReportFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code opsctl runs report ID [--format md|html|both] [-o FILE]}: the run report, from the run's journal. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "Write a run's report from its journal: Markdown, and one self-contained HTML page with a timeline,",
            "the hosts x steps table, gate answers, trigger evidence, rollbacks and what to do next.",
            "By default both go into the run's directory (report.md, report.html); every file is mode 0600.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  opsctl runs report 20261122-020100-7f3a",
            "  opsctl runs report 20261122-020100-7f3a -o ~/incident-4711.html",
            "  opsctl runs report 20261122-020100-7f3a --format md -o -    # print the Markdown",
        })
public final class RunsReportCommand implements Callable<Integer> {
    static final int OK = 0;
    static final int USAGE = 2;

    private final ReportService reports;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "The run id, as printed when it started and by 'runs list'.")
    String id;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "both",
            description = "md, html or both (default: ${DEFAULT-VALUE}; with -o, both means: as the file's extension says).")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write one report to FILE instead of the run directory; '-' prints it (needs --format md or html).")
    Path output;

    public RunsReportCommand(ReportService reports) {
        this.reports = reports;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ReportFiles.Format f;
        try {
            f = ReportFiles.Format.valueOf(format.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            err.println("error: --format must be md, html or both, not '" + format + "'");
            return USAGE;
        }
        try {
            if (output != null && output.toString().equals("-")) {
                if (f == ReportFiles.Format.BOTH) {
                    err.println("error: '-o -' prints one report: add --format md or --format html");
                    return USAGE;
                }
                out.print(reports.render(id, f));
                out.flush();
                return OK;
            }
            for (Path p : reports.write(id, f, Optional.ofNullable(output))) {
                out.println(p);
            }
            return OK;
        } catch (OpsctlException e) {
            err.println("error: " + e.getMessage());
            return e.exitCode();
        }
    }
}
