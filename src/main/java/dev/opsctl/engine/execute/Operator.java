package dev.opsctl.engine.execute;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The human at the controls, for triggers that say {@code ask} or {@code pause} and for {@code confirm} steps. The app adapts its
 * prompter; {@link #ABSENT} stands for a non-interactive run. Called from host threads: implementations
 * must serialise their questions. Must honour interruption.
 */
public interface Operator {
    Operator ABSENT = new Operator() {
        @Override
        public boolean present() {
            return false;
        }

        @Override
        public Optional<String> choose(String question, List<String> choices, Optional<Duration> deadline) {
            return Optional.empty();
        }
    };

    /** False in a non-interactive run: nobody will answer. */
    boolean present();

    /** One of {@code choices}, or empty when nobody answered before {@code deadline} (none: wait as long as it takes). */
    Optional<String> choose(String question, List<String> choices, Optional<Duration> deadline) throws InterruptedException;

    /** A yes/no question: true only on an explicit yes. The default asks through {@link #choose}. */
    default boolean confirm(String question) throws InterruptedException {
        return choose(question, List.of("yes", "no"), Optional.empty()).map("yes"::equals).orElse(false);
    }
}
