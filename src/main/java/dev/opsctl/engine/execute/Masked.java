package dev.opsctl.engine.execute;

import dev.opsctl.source.Secret;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Deep copies of result data with every string masked, keys too: what events carry. */
final class Masked {
    private Masked() {}

    /** The copy, and the paths (keys and list indexes) of the values masking changed. */
    record Copy(Map<String, Object> map, List<List<String>> maskedPaths) {}

    static Map<String, Object> map(Map<String, ?> m, UnaryOperator<String> mask) {
        return copy(m, mask).map();
    }

    static Copy copy(Map<String, ?> m, UnaryOperator<String> mask) {
        List<List<String>> paths = new ArrayList<>();
        Map<String, Object> out = map(m, mask, new ArrayList<>(), paths);
        return new Copy(out, paths);
    }

    private static Map<String, Object> map(Map<String, ?> m, UnaryOperator<String> mask, List<String> at, List<List<String>> paths) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            String key = mask.apply(k); // a secret can be a key too (a JSON body keyed by token)
            for (int n = 2; !key.equals(k) && out.containsKey(key); n++) {
                key = mask.apply(k) + " (" + n + ")"; // two keys masked alike: both kept
            }
            at.add(key);
            if (!key.equals(k)) {
                paths.add(List.copyOf(at));
            }
            out.put(key, value(v, mask, at, paths));
            at.remove(at.size() - 1);
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object value(Object v, UnaryOperator<String> mask, List<String> at, List<List<String>> paths) {
        if (v instanceof String s) {
            String masked = mask.apply(s);
            if (!masked.equals(s)) {
                paths.add(List.copyOf(at));
            }
            return masked;
        }
        if (v instanceof Secret) {
            paths.add(List.copyOf(at));
            return Secret.MASK;
        }
        if (v instanceof Map<?, ?> m) {
            return map((Map<String, ?>) m, mask, at, paths);
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>();
            for (Object x : c) {
                at.add(Integer.toString(out.size()));
                out.add(value(x, mask, at, paths));
                at.remove(at.size() - 1);
            }
            return out;
        }
        return v;
    }
}
