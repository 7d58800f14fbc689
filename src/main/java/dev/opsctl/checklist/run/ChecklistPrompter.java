package dev.opsctl.checklist.run;

import dev.opsctl.checklist.Item;
import dev.opsctl.checklist.ItemGroup;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Asks about manual items and is told what the runner does meanwhile. The interactive implementation
 * lives in {@code shell} (JLine); {@link PresetAnswers} answers from {@code --confirm} and an answers
 * file. Called from the runner's thread only.
 */
public interface ChecklistPrompter {
    /** Never asks: every manual item stays unanswered, so the checklist fails closed. */
    ChecklistPrompter NONE = (item, host, context) -> Answer.unanswered("nobody was asked (non-interactive)");

    /**
     * The answer for {@code item} (its text already rendered) on {@code host} (empty: the run). {@code context}
     * is the evidence of the checked items so far for the same host. May block; on interruption either
     * throw {@link InterruptedException} or return {@link Answer#unanswered(String)}.
     */
    Answer ask(Item item, Optional<String> host, List<Evidence> context) throws InterruptedException;

    /** A checked item finished (to show its evidence as the checklist runs). */
    default void checked(ItemResult result) {}

    /** The runner waits {@code remaining} before evaluating {@code group} (its {@code after:}). */
    default void waiting(ItemGroup group, Duration remaining) {}
}
