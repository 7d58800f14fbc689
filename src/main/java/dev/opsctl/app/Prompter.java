package dev.opsctl.app;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Asks the operator (the CLI and shell implement it with JLine). Non-interactive runs use
 * {@link #NON_INTERACTIVE}, which answers no and chooses nothing: anything that needs a human fails
 * closed (a trigger's {@code ask} takes its {@code on_timeout} default).
 */
@FunctionalInterface
public interface Prompter {
    Prompter NON_INTERACTIVE = question -> false;

    /** True only on an explicit yes. May block; must honour interruption by answering no. */
    boolean confirm(String question);

    /**
     * One of {@code choices} (a trigger that says {@code ask}: rollback, continue or halt), or empty when
     * nobody answered before {@code deadline} (empty deadline: no limit). Called from several host
     * threads: implementations ask one question at a time. The default chooses nothing.
     */
    default Optional<String> choose(String question, List<String> choices, Optional<Duration> deadline) throws InterruptedException {
        return Optional.empty();
    }
}
