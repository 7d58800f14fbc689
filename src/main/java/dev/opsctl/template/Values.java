package dev.opsctl.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opsctl.source.Durations;
import dev.opsctl.source.Secret;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** How scope values read as text, numbers and truth. */
final class Values {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    private Values() {}

    /** The text a value renders as; a list is its elements joined by a space, a map compact JSON. */
    static String text(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Secret s) {
            return s.reveal();
        }
        if (v instanceof Double d) {
            return formatDouble(d);
        }
        if (v instanceof Float f) {
            return formatDouble(f.doubleValue());
        }
        if (v instanceof BigDecimal b) {
            return b.toPlainString();
        }
        if (v instanceof Duration d) {
            return seconds(d).toPlainString();
        }
        if (v instanceof List<?> list) {
            List<String> parts = new ArrayList<>();
            for (Object e : list) {
                parts.add(text(e));
            }
            return String.join(" ", parts);
        }
        if (v instanceof Map<?, ?>) {
            return json(v);
        }
        return v.toString();
    }

    /**
     * Seconds, exactly: {@code 120}, {@code 0.25}. Rounding would change what was asked for: whole
     * seconds made {@code 250ms} poll every second, and a duration field read the rendered number back
     * as that; a tool that takes whole seconds only refuses {@code 0.25} rather than wait 0 ("forever").
     */
    static BigDecimal seconds(Duration d) {
        return BigDecimal.valueOf(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9)).stripTrailingZeros();
    }

    static String json(Object v) {
        try {
            return JSON.writeValueAsString(plain(v));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write value as JSON", e);
        }
    }

    /** The inside of a JSON string literal for {@code s}: what a secret looks like inside rendered JSON. */
    static String jsonEscape(String s) {
        String quoted = json(s);
        return quoted.substring(1, quoted.length() - 1);
    }

    private static Object plain(Object v) {
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, e) -> out.put(String.valueOf(k), plain(e)));
            return out;
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(e -> out.add(plain(e)));
            return out;
        }
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Number) {
            return v;
        }
        if (v instanceof Duration d) {
            BigDecimal seconds = seconds(d);
            return seconds.scale() <= 0 ? (Object) seconds.longValueExact() : seconds;
        }
        return text(v);
    }

    private static String formatDouble(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    /**
     * The value as a number: a BigDecimal, or a Double when it is NaN or infinite. Strings count when
     * they hold a number once stripped ({@code "3\n"}); with {@code durations}, also when they hold a
     * duration ({@code "5m"}), as seconds. Durations are seconds.
     */
    static Optional<Number> number(Object v, boolean durations) {
        if (v instanceof Duration d) {
            return Optional.of(seconds(d));
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Optional.of(Double.isFinite(d) ? BigDecimal.valueOf(d) : (Number) d);
        }
        if (v instanceof BigDecimal b) {
            return Optional.of(b);
        }
        if (v instanceof BigInteger b) {
            return Optional.of(new BigDecimal(b));
        }
        if (v instanceof Number n) {
            return Optional.of(BigDecimal.valueOf(n.longValue()));
        }
        if (v instanceof String || v instanceof Secret) {
            String s = text(v).strip();
            if (DECIMAL.matcher(s).matches()) {
                return Optional.of(new BigDecimal(s));
            }
            switch (s) {
                case "NaN":
                    return Optional.of(Double.NaN);
                case "Inf", "+Inf":
                    return Optional.of(Double.POSITIVE_INFINITY);
                case "-Inf":
                    return Optional.of(Double.NEGATIVE_INFINITY);
                default:
                    break;
            }
            if (durations && !s.isEmpty() && !s.chars().allMatch(Character::isDigit)) {
                return Durations.parse(s).flatMap(d -> number(d, false));
            }
        }
        return Optional.empty();
    }

    static boolean isNaN(Number n) {
        return n instanceof Double d && d.isNaN();
    }

    /** Compares two numbers from {@link #number}; neither is NaN. */
    static int compare(Number a, Number b) {
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y);
        }
        return Double.compare(a.doubleValue(), b.doubleValue());
    }

    /** False for false, zero, NaN, empty text, "false", "0", empty lists and maps and a zero duration. */
    static boolean truthy(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Duration d) {
            return !d.isZero();
        }
        if (v instanceof List<?> list) {
            return !list.isEmpty();
        }
        if (v instanceof Map<?, ?> map) {
            return !map.isEmpty();
        }
        if (v instanceof Number || v instanceof String || v instanceof Secret) {
            String s = text(v).strip();
            if (s.isEmpty() || s.equalsIgnoreCase("false")) {
                return false;
            }
            Optional<Number> n = number(v, false);
            return n.isEmpty() || (!isNaN(n.get()) && compare(n.get(), BigDecimal.ZERO) != 0);
        }
        return v != null;
    }

    /** A value as shown in an error message: never a secret, never a whole page of output. */
    static String describe(Object v) {
        if (v instanceof Secret) {
            return "a secret";
        }
        if (v instanceof List<?> list) {
            return "a list of " + list.size() + (list.size() == 1 ? " item" : " items");
        }
        if (v instanceof Map<?, ?>) {
            return "a map";
        }
        if (v instanceof Duration d) {
            return Durations.format(d);
        }
        if (v instanceof String s) {
            String t = s.strip();
            return "'" + (t.length() > 40 ? t.substring(0, 40) + "..." : t) + "'";
        }
        return text(v);
    }
}
