package dev.opsctl.report;

import dev.opsctl.event.EventSink;
import dev.opsctl.event.RunEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Writes {@code report.md} and {@code report.html} into the run directory when the run finishes.
 * The report is folded from the journal's records as they are written when the run's writer hands
 * them over from its first one ({@link #liveRecords}), else from the journal read back at
 * {@code run-finished} (a resumed run's journal holds records from before this process). If it is
 * subscribed before the journal writer, the finish it was handed is folded in. Never throws: a report
 * that cannot be written is told to {@code warn} (the run's result does not depend on it).
 */
public final class ReportWriter implements EventSink {
    private final Function<String, Path> runDir;
    private final ZoneId zone;
    private final Consumer<String> warn;
    private LiveFold live;

    /** {@code runDir}: from a run id to its directory ({@code <stateDir>/runs/<id>}). */
    public ReportWriter(Function<String, Path> runDir, ZoneId zone, Consumer<String> warn) {
        this.runDir = runDir;
        this.zone = zone;
        this.warn = warn;
    }

    /**
     * A sink for every record the journal writes, starting with its {@code run-started} header: the
     * report is then built from them instead of from the journal read back (a journal parse, ~35 ms
     * of a short run's start-up-bound time). A record it cannot fold makes it read the journal after all.
     */
    public Consumer<Map<String, Object>> liveRecords() {
        live = new LiveFold();
        return live;
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
            Optional<RunReport> folded = live == null ? Optional.empty() : live.report();
            RunReport r = folded.isPresent() ? folded.get() : JournalReport.read(journal);
            if (!r.finishedRun()) {
                r = r.finishedAs(f.time(), f.status(), f.exitCode(), f.message());
            }
            ReportFiles.write(r, dir, ReportFiles.Format.BOTH, zone);
        } catch (IOException | RuntimeException e) {
            warn.accept("cannot write the run report in '" + dir + "': " + e.getMessage());
        }
    }

    /** Folds under its own lock: the journal hands records over from the hosts' threads, the finish comes from another. */
    private static final class LiveFold implements Consumer<Map<String, Object>> {
        private final JournalReport.Fold fold = new JournalReport.Fold();
        private boolean failed;

        @Override
        public synchronized void accept(Map<String, Object> record) {
            if (failed) {
                return;
            }
            try {
                fold.accept(record);
            } catch (RuntimeException e) {
                failed = true; // the journal read back says what is wrong with it
            }
        }

        synchronized Optional<RunReport> report() {
            if (failed) {
                return Optional.empty();
            }
            try {
                return Optional.of(fold.report(false));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
    }
}
