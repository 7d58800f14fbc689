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

    @Test
    void hostsEmittingAtOnceShareFsyncsAndEachGoesOnOnlyWithItsOwnRecordOnDisk() throws Exception {
        Path file = dir.resolve(JournalWriter.FILE);
        List<Long> forcedUpTo = java.util.Collections.synchronizedList(new ArrayList<>());
        int hosts = 16;
        try (JournalWriter j = JournalWriter.open(dir, UnaryOperator.identity(), fd -> {
            long covers = Files.size(file); // what this fsync covers: everything written before it began
            try {
                Thread.sleep(20); // a slow disk
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            forcedUpTo.add(covers); // ... once it has finished
        })) {
            forcedUpTo.clear();
            dev.opsctl.event.EventBus bus = new dev.opsctl.event.EventBus().subscribe(j);
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(hosts);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(hosts);
            List<java.util.concurrent.Future<String>> done = new ArrayList<>();
            for (int i = 0; i < hosts; i++) {
                String step = "step" + i;
                done.add(pool.submit(() -> {
                    start.await();
                    bus.accept(started(step));
                    // back from the bus: this host's record must be covered by an fsync already
                    String text = Files.readString(file, StandardCharsets.UTF_8);
                    long end = text.indexOf("\n", text.indexOf("\"step\":\"" + step + "\"")) + 1;
                    long covered = forcedUpTo.stream().mapToLong(Long::longValue).max().orElse(0);
                    return covered >= end ? "" : step + " went on before its record was on disk";
                }));
            }
            for (java.util.concurrent.Future<String> f : done) {
                assertEquals("", f.get(30, java.util.concurrent.TimeUnit.SECONDS));
            }
            pool.shutdown();
            assertEquals(hosts, Files.readAllLines(file).size());
            org.junit.jupiter.api.Assertions.assertTrue(forcedUpTo.size() < hosts / 2,
                    forcedUpTo.size() + " fsyncs for " + hosts + " records written at once: they should share");
        }
    }

    @Test
    void afterAFailedFsyncNoLaterRecordCountsAsWritten() throws Exception {
        // Linux reports a failed writeback to one fsync only; the next one "succeeds" without the lost data
        int[] calls = {0};
        try (JournalWriter j = JournalWriter.open(dir, UnaryOperator.identity(), fd -> {
            if (++calls[0] == 1) {
                throw new java.io.IOException("Input/output error");
            }
        })) {
            java.io.UncheckedIOException first = org.junit.jupiter.api.Assertions.assertThrows(java.io.UncheckedIOException.class,
                    () -> j.accept(started("s1")));
            assertEquals("cannot write the run journal: Input/output error", first.getMessage());
            java.io.UncheckedIOException again = org.junit.jupiter.api.Assertions.assertThrows(java.io.UncheckedIOException.class,
                    () -> j.accept(finished("s1")));
            assertEquals("cannot write the run journal: Input/output error", again.getMessage());
            assertEquals(1, calls[0], "no fsync after the failed one pretends the journal is safe");
        } catch (java.io.UncheckedIOException closing) {
            // close() forces once more and may report it again
        }
    }

    @Test
    void anObserverSeesEachRecordOnceItIsInTheFileAndItsFailureLosesNothing() throws Exception {
        List<String> seen = new ArrayList<>();
        try (JournalWriter j = open()) {
            j.observe(record -> {
                seen.add(record.get("type") + " " + record.get("step") + " in file: " + lastType().equals(record.get("type")));
                if ("s2".equals(record.get("step"))) {
                    throw new IllegalStateException("observer broke");
                }
            });
            j.accept(started("s1"));
            j.accept(finished("s1"));
            j.accept(started("s2"));
            j.accept(finished("s2"));
        }
        assertEquals(List.of("step-started s1 in file: true", "step-finished s1 in file: true", "step-started s2 in file: true",
                "step-finished s2 in file: true"), seen);
        assertEquals(4, Files.readAllLines(dir.resolve(JournalWriter.FILE), StandardCharsets.UTF_8).size(), "every record written");
    }
}
