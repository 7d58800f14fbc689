package dev.opsctl.engine.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLockTest {
    @TempDir
    Path tmp;

    private static RunLock.Holder me() {
        return new RunLock.Holder("20261122-030000-abcd", 1, "alice", "ops1", Instant.parse("2026-11-22T03:00:00Z"));
    }

    @Test
    void aLiveHolderInAnotherProcessIsRefusedByNameAndPid() throws Exception {
        Path locks = tmp.resolve("locks");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), LockHolderMain.class.getName(), locks.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", out.readLine());
            RunLockedException e = assertThrows(RunLockedException.class,
                    () -> RunLock.acquire(locks, "userns-remap", List.of("web2", "web1"), me()));
            assertEquals("runbook 'userns-remap' is already running on host 'web1': run 20261122-010000-f00d (pid " + p.pid()
                    + ", operator carol, since 2026-11-22T01:00:00Z)", e.getMessage());
            assertTrue(RunLock.isHeld(locks, "userns-remap", List.of("web1", "web2"), "20261122-010000-f00d"));
            assertFalse(RunLock.isHeld(locks, "userns-remap", List.of("web1", "web2"), me().runId()), "held, but by another run");
            RunLockedException overlap = assertThrows(RunLockedException.class,
                    () -> RunLock.acquire(locks, "userns-remap", List.of("web3", "web2"), me()));
            assertTrue(overlap.getMessage().startsWith("runbook 'userns-remap' is already running on host 'web2': run "
                    + "20261122-010000-f00d"), overlap.getMessage());
            try (RunLock other = RunLock.acquire(locks, "userns-remap", List.of("web3"), me())) {
                assertTrue(RunLock.isHeld(locks, "userns-remap", List.of("web3"), me().runId()), "web3 was not left locked");
            }
        } finally {
            p.getOutputStream().close();
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        }
        try (RunLock l = RunLock.acquire(locks, "userns-remap", List.of("web1", "web2"), me())) {
            assertTrue(RunLock.isHeld(locks, "userns-remap", List.of("web1", "web2"), me().runId()));
        }
        assertFalse(RunLock.isHeld(locks, "userns-remap", List.of("web1", "web2"), me().runId()), "released");
    }

    @Test
    void aKilledHolderLeavesNoLockBehind() throws Exception {
        Path locks = tmp.resolve("locks");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), LockHolderMain.class.getName(), locks.toString())
                .redirectErrorStream(true).start();
        assertEquals("locked", new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine());
        p.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        try (RunLock l = RunLock.acquire(locks, "userns-remap", List.of("web1", "web2"), me())) {
            assertTrue(l != null);
        }
    }

    @Test
    void aRunOnOverlappingHostsIsRefusedAndTakesNoLockOfItsOwn() throws Exception {
        Path locks = tmp.resolve("locks");
        try (RunLock one = RunLock.acquire(locks, "x", List.of("web2"), me())) {
            RunLockedException e = assertThrows(RunLockedException.class,
                    () -> RunLock.acquire(locks, "x", List.of("web1", "web2", "web3"), me()));
            assertTrue(e.getMessage().startsWith("runbook 'x' is already running on host 'web2'"), e.getMessage());
            // web1 was taken before web2 was found held: it must have been let go again
            try (RunLock web1 = RunLock.acquire(locks, "x", List.of("web1", "web3"), me())) {
                assertTrue(web1 != null);
            }
        }
    }

    @Test
    void underSeveralNamesEveryNameIsTakenOrNone() throws Exception {
        Path locks = tmp.resolve("locks");
        try (RunLock renamed = RunLock.acquire(locks, "new-name", List.of("web1"), me())) {
            RunLockedException e = assertThrows(RunLockedException.class,
                    () -> RunLock.acquire(locks, List.of("old-name", "new-name"), List.of("web1"), Optional.empty(), me()));
            assertTrue(e.getMessage().startsWith("runbook 'new-name' is already running on host 'web1'"), e.getMessage());
            try (RunLock old = RunLock.acquire(locks, "old-name", List.of("web1"), me())) {
                assertTrue(old != null, "old-name was let go again");
            }
        }
        try (RunLock both = RunLock.acquire(locks, List.of("old-name", "new-name"), List.of("web1"), Optional.empty(), me())) {
            assertThrows(RunLockedException.class, () -> RunLock.acquire(locks, "old-name", List.of("web1"), me()));
            assertThrows(RunLockedException.class, () -> RunLock.acquire(locks, "new-name", List.of("web1"), me()));
        }
    }

    @Test
    void otherHostsOrRunbooksDoNotShareALock() throws Exception {
        Path locks = tmp.resolve("locks");
        try (RunLock a = RunLock.acquire(locks, "x", List.of("web1"), me());
                RunLock b = RunLock.acquire(locks, "x", List.of("web2"), me());
                RunLock c = RunLock.acquire(locks, "y", List.of("web1"), me())) {
            assertThrows(RunLockedException.class, () -> RunLock.acquire(locks, "x", List.of("web1"), me()));
        }
    }
}
