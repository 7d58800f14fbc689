package dev.opsctl.engine.journal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** Run by {@link RunLockTest} in a second JVM: takes the lock, says so, holds it until stdin closes. */
public final class LockHolderMain {
    private LockHolderMain() {}

    public static void main(String[] args) throws Exception {
        RunLock.Holder me = new RunLock.Holder("20261122-010000-f00d", ProcessHandle.current().pid(), "carol", "ops2",
                Instant.parse("2026-11-22T01:00:00Z"));
        try (RunLock lock = RunLock.acquire(Path.of(args[0]), "userns-remap", List.of("web1", "web2"), me)) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() != -1) {
                // hold until the test closes our stdin
            }
        }
    }
}
