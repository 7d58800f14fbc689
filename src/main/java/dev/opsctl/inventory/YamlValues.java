package dev.opsctl.inventory;

import dev.opsctl.source.MapNode;
import dev.opsctl.source.Node;
import dev.opsctl.source.Problems;
import dev.opsctl.source.ScalarNode;
import dev.opsctl.source.SeqNode;
import dev.opsctl.source.SourcePos;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Plain Java values (String, Integer, Long, Double, Boolean, List, Map) from positioned YAML nodes. */
final class YamlValues {
    private YamlValues() {}

    static Object value(Node n) {
        return value(n, YamlValues::scalar);
    }

    /** A value with its scalars typed by {@code scalar}. */
    static Object value(Node n, Function<ScalarNode, Object> scalar) {
        if (n instanceof MapNode m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.entries().forEach((k, e) -> out.put(k, value(e.value(), scalar)));
            return Collections.unmodifiableMap(out);
        }
        if (n instanceof SeqNode s) {
            List<Object> out = new ArrayList<>();
            s.items().forEach(i -> out.add(value(i, scalar)));
            return Collections.unmodifiableList(out);
        }
        return scalar.apply((ScalarNode) n);
    }

    private static Object scalar(ScalarNode s) {
        try {
            return switch (s.kind()) {
                case INT -> {
                    long l = Long.parseLong(s.text());
                    yield l == (int) l ? (Object) (int) l : (Object) l;
                }
                case FLOAT -> Double.parseDouble(s.text());
                case BOOL -> Boolean.parseBoolean(s.text());
                case NULL -> "";
                case STRING -> s.text();
            };
        } catch (NumberFormatException e) {
            // YAML 1.1 numbers such as 0x1F, 1_000, .inf, and integers past 2^63
            return AnsibleYamlScalars.typed(s.text()).orElse(s.text());
        }
    }

    /** Where each key of a mapping is written (nothing for anything else). */
    static Map<String, SourcePos> keyPositions(Node n) {
        Map<String, SourcePos> out = new LinkedHashMap<>();
        if (n instanceof MapNode m) {
            m.entries().forEach((k, e) -> out.put(k, e.keyPos()));
        }
        return out;
    }

    /** A mapping's entries as variables; anything else is a problem and no variables. */
    static Map<String, Object> vars(Node n, String what, Problems problems) {
        return vars(n, what, problems, YamlValues::scalar);
    }

    /** A mapping's entries as variables, its scalars typed by {@code scalar}. */
    static Map<String, Object> vars(Node n, String what, Problems problems, Function<ScalarNode, Object> scalar) {
        if (n instanceof ScalarNode s && s.isNull()) {
            return Map.of();
        }
        if (!(n instanceof MapNode m)) {
            problems.error(n.pos(), what + " must be a mapping of names to values, not " + n.describe());
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        m.entries().forEach((k, e) -> out.put(k, value(e.value(), scalar)));
        return out;
    }
}
