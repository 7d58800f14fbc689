package dev.opsctl.template;

import java.util.List;
import java.util.Optional;

/**
 * Where template variables come from. Values are String, Long, Integer, Double, Boolean,
 * java.time.Duration, {@link dev.opsctl.source.Secret}, List and Map (String keys) of those.
 * A missing path is {@link Optional#empty()}, never an exception.
 */
@FunctionalInterface
public interface Scope {
    Optional<Object> lookup(List<String> path);

    /**
     * This scope first, then {@code fallback} for every path this one lacks. The fall-through is per
     * whole path: if this scope has {@code steps.a} and the fallback has {@code steps.b}, both are
     * found. Use it to put per-step fields ({@code status}, {@code stdout}) in front of the run's
     * variables: {@code new MapScope(extra).orElse(runScope)}.
     */
    default Scope orElse(Scope fallback) {
        Scope first = this;
        return path -> {
            Optional<Object> v = first.lookup(path);
            return v.isPresent() ? v : fallback.lookup(path);
        };
    }

    /** A scope with no variables. */
    static Scope empty() {
        return path -> Optional.empty();
    }
}
