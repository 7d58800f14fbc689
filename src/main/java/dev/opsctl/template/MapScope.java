package dev.opsctl.template;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A scope over nested maps and lists ({@code steps.build.data.0}). */
public final class MapScope implements Scope {
    public MapScope(Map<String, Object> root) {}

    @Override
    public Optional<Object> lookup(List<String> path) {
        throw new UnsupportedOperationException("TODO");
    }
}
