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

/** Plain Java values (String, Integer, Long, Double, Boolean, List, Map) from positioned YAML nodes. */
final class YamlValues {
    private YamlValues() {}

    static Object value(Node n) {
        if (n instanceof MapNode m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.entries().forEach((k, e) -> out.put(k, value(e.value())));
            return Collections.unmodifiableMap(out);
        }
        if (n instanceof SeqNode s) {
            List<Object> out = new ArrayList<>();
            s.items().forEach(i -> out.add(value(i)));
            return Collections.unmodifiableList(out);
        }
        ScalarNode s = (ScalarNode) n;
        return switch (s.kind()) {
            case INT -> {
                try {
                    yield Integer.parseInt(s.text());
                } catch (NumberFormatException e) {
                    yield Long.parseLong(s.text());
                }
            }
            case FLOAT -> Double.parseDouble(s.text());
            case BOOL -> Boolean.parseBoolean(s.text());
            case NULL -> "";
            case STRING -> s.text();
        };
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
        if (n instanceof ScalarNode s && s.isNull()) {
            return Map.of();
        }
        if (!(n instanceof MapNode m)) {
            problems.error(n.pos(), what + " must be a mapping of names to values, not " + n.describe());
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        m.entries().forEach((k, e) -> out.put(k, value(e.value())));
        return out;
    }
}
