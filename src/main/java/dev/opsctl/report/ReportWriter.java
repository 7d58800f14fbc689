package dev.opsctl.report;

import dev.opsctl.event.EventSink;
import dev.opsctl.event.RunEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Writes {@code report.md} and {@code report.html} into the run directory when the run finishes.
 * Reads the journal once, at {@code run-finished}, so it costs nothing while the run goes; if it is
 * subscribed before the journal writer, the finish it was handed is folded in. Never throws: a report
 * that cannot be written is told to {@code warn} (the run's result does not depend on it).
 */
public final class ReportWriter implements EventSink {
    private final Function<String, Path> runDir;
    private final ZoneId zone;
    private final Consumer<String> warn;

    /** {@code runDir}: from a run id to its directory ({@code <stateDir>/runs/<id>}). */
    public ReportWriter(Function<String, Path> runDir, ZoneId zone, Consumer<String> warn) {
        this.runDir = runDir;
        this.zone = zone;
        this.warn = warn;
    }

    @Override
    public void accept(RunEvent event) {
        if (!(event instanceof RunEvent.RunFinished f)) {
            return;
        }
        Path dir = runDir.apply(f.runId());
        Path journal = dir.resolve("journal.jsonl");
        try {
            if (!Files.isRegularFile(journal)) {
                return; // a dry run journals nothing
            }
            RunReport r = JournalReport.read(journal);
            if (!r.finishedRun()) {
                r = r.finishedAs(f.time(), f.status(), f.exitCode(), f.message());
            }
            ReportFiles.write(r, dir, ReportFiles.Format.BOTH, zone);
        } catch (IOException | RuntimeException e) {
            warn.accept("cannot write the run report in '" + dir + "': " + e.getMessage());
        }
    }
}
