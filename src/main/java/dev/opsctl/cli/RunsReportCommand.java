package dev.opsctl.cli;

import dev.opsctl.app.OpsctlException;
import dev.opsctl.app.ReportService;
import dev.opsctl.engine.ExitCodes;
import dev.opsctl.report.ReportFiles;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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
            "  opsctl runs report 20261122-020100-7f3a -o incident-4711.html",
            "  opsctl runs report 20261122-020100-7f3a --format md -o -",
        })
final class RunsReportCommand implements Callable<Integer> {
    private final CliEnv env;

    RunsReportCommand(CliEnv env) {
        this.env = env;
    }

    @Parameters(index = "0", paramLabel = "ID", description = "The run id, as printed when it started and by 'runs list'.")
    String id;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "both",
            description = "md, html or both (default: ${DEFAULT-VALUE}; with -o FILE, both means: as the file's extension says).")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write one report to FILE instead of the run directory; '-' prints it (needs --format md or html).")
    Path output;

    @Mixin
    StateDirOption stateDir;

    @Override
    public Integer call() {
        ReportFiles.Format f;
        try {
            f = ReportFiles.Format.valueOf(format.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--format must be md, html or both, not '" + format + "'");
        }
        ReportService reports = new ReportService(CliServices.appEnv(env, stateDir.get(), Optional.empty()));
        try {
            if (output != null && output.toString().equals("-")) {
                if (f == ReportFiles.Format.BOTH) {
                    throw new UsageException("'-o -' prints one report: add --format md or --format html");
                }
                env.out().print(reports.render(id, f));
                env.out().flush();
                return ExitCodes.OK;
            }
            Optional<Path> file = Optional.ofNullable(output).map(p -> env.resolve(p.toString()));
            for (Path p : reports.write(id, f, file)) {
                env.out().println(p);
            }
            return ExitCodes.OK;
        } catch (OpsctlException e) {
            Failures.print(env, e);
            return e.exitCode();
        }
    }
}
