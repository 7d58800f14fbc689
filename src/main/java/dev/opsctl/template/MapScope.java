package dev.opsctl.template;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A scope over nested maps and lists ({@code steps.build.data.0}): each path segment is a map key,
 * or a decimal index into a list; a key with dots (an included step's id) is found over as many
 * segments as it has. A null value counts as missing; a path through an {@link Unavailable} finds it.
 * The scope is a view of the map it was given (it does not copy), so give it a map nobody changes
 * while templates render.
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
        return find(root, path, 0);
    }

    /** Segments from {@code from} on; a map key may span several segments ({@code steps.deploy.start}: key "deploy.start"). */
    private static Optional<Object> find(Object current, List<String> path, int from) {
        if (from == path.size() || current instanceof Unavailable) {
            return Optional.of(current); // what is below a value the journal kept only in part is unavailable too
        }
        if (!(current instanceof Map<?, ?> map)) {
            Object child = child(current, path.get(from));
            return child == null ? Optional.empty() : find(child, path, from + 1);
        }
        StringBuilder key = new StringBuilder();
        for (int i = from; i < path.size(); i++) {
            key.append(i > from ? "." : "").append(path.get(i));
            Object child = map.get(key.toString());
            if (child != null) {
                Optional<Object> found = find(child, path, i + 1);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
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
