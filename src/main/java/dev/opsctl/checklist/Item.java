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
 * confirmation without a note count as unanswered. With {@code when}, the item applies only where that condition
 * (over params, {@code host.*}, {@code run.*} such as {@code run.backend}) holds; elsewhere it is skipped, with the
 * condition as the reason.
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
        Optional<String> when,
        SourcePos pos) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

    /** An item that always applies (no {@code when}). */
    public Item(String id, String text, Optional<Invocation<?>> probe, Optional<String> expect, Duration holdFor, Duration interval,
            int retries, Placement placement, boolean noteRequired, SourcePos pos) {
        this(id, text, probe, expect, holdFor, interval, retries, placement, noteRequired, Optional.empty(), pos);
    }

    public boolean manual() {
        return probe.isEmpty();
    }
}
