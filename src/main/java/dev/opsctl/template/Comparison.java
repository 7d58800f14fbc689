package dev.opsctl.template;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The comparison operators of {@link Condition}; see there for the rules. */
final class Comparison {
    private Comparison() {}

    static boolean apply(String op, Object left, Object right, int offset) throws TemplateException {
        return switch (op) {
            case "==" -> equal(left, right);
            case "!=" -> !equal(left, right);
            case "contains" -> contains(left, right);
            case "in" -> contains(right, left);
            case "<", "<=", ">", ">=" -> ordered(op, left, right, offset);
            default -> throw new TemplateException("unknown operator '" + op + "'", offset);
        };
    }

    static boolean equal(Object a, Object b) {
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!equal(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> && b instanceof Map<?, ?>) {
            return Values.json(a).equals(Values.json(b));
        }
        boolean durations = a instanceof Duration || b instanceof Duration;
        if (durations || a instanceof Number || b instanceof Number) {
            Optional<Number> x = Values.number(a, durations);
            Optional<Number> y = Values.number(b, durations);
            if (x.isPresent() && y.isPresent()) {
                return !Values.isNaN(x.get()) && !Values.isNaN(y.get()) && Values.compare(x.get(), y.get()) == 0;
            }
        }
        if (a instanceof Boolean || b instanceof Boolean) {
            return Values.text(a).strip().equalsIgnoreCase(Values.text(b).strip());
        }
        return chomp(Values.text(a)).equals(chomp(Values.text(b)));
    }

    private static boolean contains(Object container, Object item) {
        if (container instanceof List<?> list) {
            for (Object e : list) {
                if (equal(e, item)) {
                    return true;
                }
            }
            return false;
        }
        if (container instanceof Map<?, ?> map) {
            String key = chomp(Values.text(item));
            return map.keySet().stream().anyMatch(k -> String.valueOf(k).equals(key));
        }
        return Values.text(container).contains(Values.text(item));
    }

    private static boolean ordered(String op, Object a, Object b, int offset) throws TemplateException {
        boolean durations = a instanceof Duration || b instanceof Duration;
        Optional<Number> x = Values.number(a, durations);
        Optional<Number> y = Values.number(b, durations);
        if (x.isEmpty() || y.isEmpty()) {
            throw new TemplateException(
                    "cannot compare " + Values.describe(a) + " with " + Values.describe(b) + " using '" + op
                            + "' (it needs numbers or durations on both sides)",
                    offset);
        }
        if (Values.isNaN(x.get()) || Values.isNaN(y.get())) {
            return false;
        }
        int c = Values.compare(x.get(), y.get());
        return switch (op) {
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            default -> c >= 0;
        };
    }

    private static String chomp(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }
}
