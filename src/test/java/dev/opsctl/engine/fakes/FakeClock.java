package dev.opsctl.engine.fakes;

import dev.opsctl.engine.execute.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A clock that moves only when told, and a sleeper that moves it instead of sleeping. */
public final class FakeClock extends Clock {
    private volatile Instant now;
    private final ZoneId zone;
    public final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    public FakeClock(Instant start, ZoneId zone) {
        this.now = start;
        this.zone = zone;
    }

    public FakeClock() {
        this(Instant.parse("2026-11-22T03:00:00Z"), ZoneId.of("UTC"));
    }

    public synchronized void advance(Duration d) {
        now = now.plus(d);
    }

    public Sleeper sleeper() {
        return d -> {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            sleeps.add(d);
            advance(d);
        };
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId z) {
        return new FakeClock(now, z);
    }

    @Override
    public Instant instant() {
        return now;
    }
}
