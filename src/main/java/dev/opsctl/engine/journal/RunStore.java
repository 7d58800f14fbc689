package dev.opsctl.engine.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The runs under a state directory: {@code <stateDir>/runs/<id>/journal.jsonl}, directories 0700. */
public final class RunStore {
    private final Path stateDir;

    public RunStore(Path stateDir) {
        this.stateDir = stateDir;
    }

    public Path stateDir() {
        return stateDir;
    }

    public Path runsDir() {
        return stateDir.resolve("runs");
    }

    public Path locksDir() {
        return stateDir.resolve("locks");
    }

    public Path runDir(String runId) {
        return runsDir().resolve(runId);
    }

    public Path journal(String runId) {
        return runDir(runId).resolve(JournalWriter.FILE);
    }

    /** Creates the state, runs and run directories, each 0700. */
    public Path createRunDir(String runId) throws IOException {
        PrivateFiles.directory(stateDir);
        PrivateFiles.directory(runsDir());
        return PrivateFiles.directory(runDir(runId));
    }

    /** Run ids that have a journal, newest first. */
    public List<String> runIds() throws IOException {
        if (!Files.isDirectory(runsDir())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(runsDir())) {
            return s.filter(p -> Files.isRegularFile(p.resolve(JournalWriter.FILE)))
                    .map(p -> p.getFileName().toString())
                    .sorted(java.util.Comparator.reverseOrder())
                    .toList();
        }
    }

    public Optional<RunState> find(String runId) throws IOException {
        if (!RunId.isValid(runId) || !Files.isRegularFile(journal(runId))) {
            return Optional.empty();
        }
        return Optional.of(JournalReader.read(journal(runId)));
    }
}
