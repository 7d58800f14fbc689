package dev.opsctl.runbook.model;

import dev.opsctl.source.SourcePos;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How hosts are taken: in batches of {@code serial} (the last entry repeats), halting once more than
 * {@code maxFailures} hosts failed; {@code continueOnFailure} lets the next batch start after a
 * failed host (off by default). {@code window} is a maintenance window like
 * {@code "02:00-05:00 Asia/Tokyo"}; {@code maxOutOfService} bounds hosts drained at once.
 * {@code bufferPerHost} is the plan-time safety margin per host (userns-remap 2.3: 5 minutes).
 */
public record Strategy(
        List<BatchSize> serial,
        int maxFailures,
        boolean continueOnFailure,
        Optional<String> window,
        Optional<Integer> maxOutOfService,
        Duration bufferPerHost,
        SourcePos pos) {

    public static final Strategy DEFAULT = new Strategy(
            List.of(new BatchSize(100, true)), 0, false, Optional.empty(), Optional.empty(), Duration.ZERO, SourcePos.NONE);

    public Strategy {
        serial = List.copyOf(serial);
    }
}
