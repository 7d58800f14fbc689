package dev.opsctl.engine.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Java's FileLock is a POSIX (fcntl) record lock: closing ANY descriptor of the file in the holding process
 * drops it. In the incident shell (one JVM) 'runs list' (isHeld: Files.readString + a probe channel) or a
 * refused second run (its channel closed, readHolder) silently drops a live run's locks; another process
 * then runs the same runbook on the same host.
 */
class RunLockSameJvmTest {
    @TempDir
    Path tmp;

    private static final RunLock.Holder ME = new RunLock.Holder("20261122-030000-abcd", ProcessHandle.current().pid(), "alice",
            "ops1", Instant.parse("2026-11-22T03:00:00Z"));

    private String otherProcessTries(Path locks) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), TryAcquireMain.class.getName(), locks.toString())
                .redirectErrorStream(true).start();
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        return line;
    }

    @Test
    void baseline_anotherProcessIsRefusedWhileThisJvmHoldsTheLock() throws Exception {
        Path locks = tmp.resolve("locks");
        try (RunLock held = RunLock.acquire(locks, "x", List.of("web1"), ME)) {
            assertEquals("refused", otherProcessTries(locks));
        }
    }

    @Test
    void runsListInTheHoldersJvmDoesNotDropTheLock() throws Exception {
        Path locks = tmp.resolve("locks");
        try (RunLock held = RunLock.acquire(locks, "x", List.of("web1"), ME)) {
            assertTrue(RunLock.isHeld(locks, "x", List.of("web1"), ME.runId()), "what 'runs list' / the shell's status asks");
            assertEquals("refused", otherProcessTries(locks), "the run is still live in this JVM; another process must be refused");
        }
    }

    @Test
    void aRefusedSecondRunInTheHoldersJvmDoesNotDropTheFirstRunsLock() throws Exception {
        Path locks = tmp.resolve("locks");
        try (RunLock held = RunLock.acquire(locks, "x", List.of("web1"), ME)) {
            assertThrows(RunLockedException.class, () -> RunLock.acquire(locks, "x", List.of("web1"), ME));
            assertEquals("refused", otherProcessTries(locks), "the first run is still live in this JVM; another process must be refused");
        }
    }

    @Test
    void theStateDirSpelledAnotherWayIsTheSameLock() throws Exception {
        // found by review: HELD was keyed by the path as given (./state and its absolute path, a symlink, x/..)
        Path locks = tmp.resolve("locks");
        java.nio.file.Files.createDirectories(tmp.resolve("x"));
        Path otherSpelling = tmp.resolve("x").resolve("..").resolve("locks");
        try (RunLock held = RunLock.acquire(locks, "x", List.of("web1"), ME)) {
            assertTrue(RunLock.isHeld(otherSpelling, "x", List.of("web1"), ME.runId()), "'runs list' showed the live run as aborted");
            RunLockedException e = assertThrows(RunLockedException.class, () -> RunLock.acquire(otherSpelling, "x", List.of("web1"), ME));
            assertTrue(e.getMessage().startsWith("runbook 'x' is already running on host 'web1': run " + ME.runId()), e.getMessage());
            assertEquals("refused", otherProcessTries(locks), "neither call may drop the live run's lock");
        }
    }
}
