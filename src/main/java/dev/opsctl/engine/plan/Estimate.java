package dev.opsctl.engine.plan;

import java.time.Duration;
import java.util.List;

/**
 * How long a run should take. {@code work}: every host's steps one after another plus the buffer
 * per host (the userns-remap rule: per-host time x hosts + buffer x hosts). {@code wall}: the
 * clock time, since hosts in a batch run in parallel (up to {@code forks}); {@code batchWall} is
 * that time per batch.
 */
public record Estimate(Duration perHost, Duration bufferPerHost, Duration work, Duration wall, List<Duration> batchWall) {
    public Estimate {
        batchWall = List.copyOf(batchWall);
    }
}
