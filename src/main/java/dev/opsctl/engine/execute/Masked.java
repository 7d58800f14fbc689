package dev.opsctl.engine.execute;

import dev.opsctl.source.Secret;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Deep copies of result data with every string masked: what events carry. */
final class Masked {
    private Masked() {}

    static Map<String, Object> map(Map<String, ?> m, UnaryOperator<String> mask) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, value(v, mask)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object value(Object v, UnaryOperator<String> mask) {
        if (v instanceof String s) {
            return mask.apply(s);
        }
        if (v instanceof Secret) {
            return Secret.MASK;
        }
        if (v instanceof Map<?, ?> m) {
            return map((Map<String, ?>) m, mask);
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>();
            c.forEach(x -> out.add(value(x, mask)));
            return out;
        }
        return v;
    }
}
