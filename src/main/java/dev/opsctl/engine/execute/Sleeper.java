package dev.opsctl.engine.execute;

import java.time.Duration;

/** Waiting, injectable so tests advance a fake clock instead of sleeping. Must honour interruption. */
@FunctionalInterface
public interface Sleeper {
    Sleeper REAL = d -> Thread.sleep(Math.max(0, d.toMillis()));

    void sleep(Duration d) throws InterruptedException;
}
