package dev.opsctl.engine.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.opsctl.event.RunEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When records reach the disk: every record before anything can act on a host, and nothing is lost at close. */
class JournalWriterTest {
    @TempDir
    Path dir;

    private final Instant t = Instant.parse("2026-11-22T02:30:00Z");
    private final List<String> synced = new ArrayList<>();

    /** Each sync records the last record type it made durable. */
    private JournalWriter open() throws Exception {
        return JournalWriter.open(dir, UnaryOperator.identity(), fd -> synced.add(lastType()));
    }

    private String lastType() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(JournalWriter.FILE), StandardCharsets.UTF_8);
            return lines.isEmpty() ? "(empty)" : lines.get(lines.size() - 1).replaceAll(".*\"type\":\"([a-z-]+)\".*", "$1");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private RunEvent.StepStarted started(String step) {
        return new RunEvent.StepStarted("r1", t, "web1", step, step, 1, "true");
    }

    private RunEvent.StepFinished finished(String step) {
        return new RunEvent.StepFinished("r1", t, "web1", step, "changed", 0, 3, "", Map.of(), false);
    }

    @Test
    void everyStepRecordIsForcedToDiskBeforeTheEngineGoesOn() throws Exception {
        try (JournalWriter j = open()) {
            synced.clear(); // opening forces the (empty) file once
            j.accept(started("s1"));
            assertEquals(List.of("step-started"), synced, "on disk before the step runs");
            j.accept(finished("s1"));
            assertEquals(List.of("step-started", "step-finished"), synced, "on disk before the next step starts");
            assertEquals("step-finished", lastType());
        }
    }
}
