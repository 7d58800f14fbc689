package dev.opsctl.engine.journal;

import dev.opsctl.source.Durations;
import dev.opsctl.source.Secret;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Turns values into what JSON can hold, masking every string on the way: a secret that slipped into
 * a step's result still never reaches the journal.
 */
public final class JsonValues {
    private JsonValues() {}

    public static Object plain(Object v, UnaryOperator<String> mask) {
        if (v == null) {
            return "";
        }
        if (v instanceof String s) {
            return wellFormed(mask.apply(s));
        }
        if (v instanceof BigDecimal || v instanceof Float) {
            // what the journal gives back: Jackson reads a JSON fraction as a Double ("1.50" is 1.5 there)
            return ((Number) v).doubleValue();
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Secret) {
            return Secret.MASK;
        }
        if (v instanceof Duration d) {
            return Durations.format(d);
        }
        if (v instanceof Instant i) {
            return i.toString();
        }
        if (v instanceof Optional<?> o) {
            return o.map(x -> plain(x, mask)).orElse("");
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), plain(x, mask)));
            return out;
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>();
            c.forEach(x -> out.add(plain(x, mask)));
            return out;
        }
        if (v instanceof Enum<?> e) {
            return e.name().toLowerCase(java.util.Locale.ROOT);
        }
        return mask.apply(v.toString());
    }

    /**
     * {@code s} with each unpaired surrogate (half an emoji, left by a cut at a character count)
     * replaced by {@code ?}, as the journal's UTF-8 encoding replaces it: what a reader of the
     * record in memory sees (the run's report) is then what the journal holds, and strict UTF-8
     * writers downstream do not fail on it.
     */
    static String wellFormed(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            if (paired) {
                if (b != null) {
                    b.append(c).append(s.charAt(i + 1));
                }
                i++;
                continue;
            }
            boolean lone = Character.isSurrogate(c);
            if (lone && b == null) {
                b = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (b != null) {
                b.append(lone ? '?' : c);
            }
        }
        return b == null ? s : b.toString();
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> plainMap(Map<String, ?> m, UnaryOperator<String> mask) {
        return (Map<String, Object>) plain(m, mask);
    }
}
