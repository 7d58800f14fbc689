package dev.opsctl.checklist;

import dev.opsctl.action.Invocation;
import dev.opsctl.source.SourcePos;
import java.time.Duration;
import java.util.Optional;

/**
 * One checklist item. A checked item has a {@code probe} (any step type) and passes when the probe
 * succeeds, or, with {@code expect}, when that condition over the probe's result holds; it must hold for
 * {@code holdFor}, sampled every {@code interval}, and gets {@code retries} more attempts after a
 * failed one. A manual item (no probe) is answered by an operator; {@code noteRequired} makes a
 * confirmation without a note count as unanswered.
 */
public record Item(
        String id,
        String text,
        Optional<Invocation<?>> probe,
        Optional<String> expect,
        Duration holdFor,
        Duration interval,
        int retries,
        Placement placement,
        boolean noteRequired,
        SourcePos pos) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

    public boolean manual() {
        return probe.isEmpty();
    }
}
