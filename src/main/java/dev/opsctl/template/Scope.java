package dev.opsctl.template;

import java.util.List;
import java.util.Optional;

/**
 * Where template variables come from. Values are String, Long, Integer, Double, Boolean,
 * java.time.Duration, {@link dev.opsctl.source.Secret}, List and Map (String keys) of those.
 */
@FunctionalInterface
public interface Scope {
    Optional<Object> lookup(List<String> path);
}
