package dev.opsctl.template;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A scope over nested maps and lists ({@code steps.build.data.0}): each path segment is a map key,
 * or a decimal index into a list. A null value counts as missing. The scope is a view of the map
 * it was given (it does not copy), so give it a map nobody changes while templates render.
 */
public final class MapScope implements Scope {
    private final Map<String, ?> root;

    public MapScope(Map<String, ?> root) {
        this.root = Collections.unmodifiableMap(root);
    }

    @Override
    public Optional<Object> lookup(List<String> path) {
        if (path.isEmpty()) {
            return Optional.empty();
        }
        Object current = root;
        for (String segment : path) {
            current = child(current, segment);
            if (current == null) {
                return Optional.empty();
            }
        }
        return Optional.of(current);
    }

    /** A new scope with {@code key} set (replacing any value it had here); this one is unchanged. */
    public MapScope with(String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(root);
        copy.put(key, value);
        return new MapScope(copy);
    }

    private static Object child(Object parent, String segment) {
        if (parent instanceof Map<?, ?> map) {
            return map.get(segment);
        }
        if (parent instanceof List<?> list && isIndex(segment)) {
            int i = Integer.parseInt(segment);
            return i < list.size() ? list.get(i) : null;
        }
        return null;
    }

    private static boolean isIndex(String s) {
        return !s.isEmpty() && s.length() <= 9 && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
