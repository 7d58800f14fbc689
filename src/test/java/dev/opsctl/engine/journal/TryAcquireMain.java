package dev.opsctl.engine.journal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** Run by {@link RunLockSameJvmTest} in a second JVM: tries runbook 'x' on web1 once, prints acquired or refused. */
public final class TryAcquireMain {
    private TryAcquireMain() {}

    public static void main(String[] args) throws Exception {
        RunLock.Holder me = new RunLock.Holder("20261122-040000-0bad", ProcessHandle.current().pid(), "dave", "ops3",
                Instant.parse("2026-11-22T04:00:00Z"));
        try (RunLock lock = RunLock.acquire(Path.of(args[0]), "x", List.of("web1"), me)) {
            System.out.println("acquired");
        } catch (RunLockedException e) {
            System.out.println("refused");
        }
    }
}
