package dev.opsctl.action.include;

import dev.opsctl.source.MapNode;
import dev.opsctl.source.Node;
import dev.opsctl.source.ScalarNode;
import dev.opsctl.source.SeqNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** YAML nodes as plain values for template scopes; a YAML null becomes "" because scopes hold no nulls. */
final class PlainValues {
    private PlainValues() {}

    static Object of(Node node) {
        if (node instanceof MapNode map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.entries().forEach((k, e) -> out.put(k, of(e.value())));
            return Collections.unmodifiableMap(out);
        }
        if (node instanceof SeqNode seq) {
            List<Object> out = new ArrayList<>();
            seq.items().forEach(i -> out.add(of(i)));
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
}
