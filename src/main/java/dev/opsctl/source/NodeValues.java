package dev.opsctl.source;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** YAML nodes as plain values for {@code vars}; a YAML null becomes "" because template scopes hold no nulls. */
public final class NodeValues {
    private NodeValues() {}

    public static Object plain(Node node) {
        if (node instanceof MapNode map) {
            return plainMap(map);
        }
        if (node instanceof SeqNode seq) {
            List<Object> out = new ArrayList<>();
            seq.items().forEach(i -> out.add(plain(i)));
            return Collections.unmodifiableList(out);
        }
        ScalarNode s = (ScalarNode) node;
        try {
            return switch (s.kind()) {
                case INT -> Long.parseLong(s.text());
                case FLOAT -> Double.parseDouble(s.text());
                case BOOL -> Boolean.parseBoolean(s.text());
                case NULL -> "";
                case STRING -> s.text();
            };
        } catch (NumberFormatException e) {
            return s.text();
        }
    }

    public static Map<String, Object> plainMap(MapNode map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.entries().forEach((k, e) -> out.put(k, plain(e.value())));
        return Collections.unmodifiableMap(out);
    }
}
