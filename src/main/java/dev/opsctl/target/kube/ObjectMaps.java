package dev.opsctl.target.kube;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reading nested fields of an object held as a JSON-like map, with defaults for absent ones. */
final class ObjectMaps {
    private ObjectMaps() {}

    static Optional<Object> at(Object root, String... path) {
        Object cur = root;
        for (String key : path) {
            if (!(cur instanceof Map<?, ?> m)) {
                return Optional.empty();
            }
            cur = m.get(key);
        }
        return Optional.ofNullable(cur);
    }

    static long num(Object root, String... path) {
        return at(root, path).map(v -> v instanceof Number n ? n.longValue() : parse(v.toString())).orElse(0L);
    }

    static String str(Object root, String... path) {
        return at(root, path).map(Object::toString).orElse("");
    }

    static List<?> list(Object root, String... path) {
        return at(root, path).filter(v -> v instanceof List<?>).map(v -> (List<?>) v).orElse(List.of());
    }

    /** The condition of {@code type} in {@code status.conditions}, if present. */
    static Optional<Map<?, ?>> condition(Object root, String type) {
        for (Object c : list(root, "status", "conditions")) {
            if (c instanceof Map<?, ?> m && type.equals(m.get("type"))) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return 0L;
        }
    }
}
