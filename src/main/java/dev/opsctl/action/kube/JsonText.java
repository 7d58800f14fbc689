package dev.opsctl.action.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opsctl.action.StepContext;
import dev.opsctl.source.MapNode;
import dev.opsctl.source.Node;
import dev.opsctl.source.ScalarNode;
import dev.opsctl.source.SeqNode;
import dev.opsctl.template.TemplateException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Manifests and patches written as YAML structure: kept as plain values, rendered string by string, sent as JSON. */
final class JsonText {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonText() {}

    /** YAML nodes as plain values (maps, lists, strings, longs, doubles, booleans, null). */
    static Object plain(Node node) {
        if (node instanceof MapNode map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.entries().forEach((k, e) -> out.put(k, plain(e.value())));
            return out;
        }
        if (node instanceof SeqNode seq) {
            List<Object> out = new ArrayList<>();
            seq.items().forEach(i -> out.add(plain(i)));
            return out;
        }
        ScalarNode s = (ScalarNode) node;
        try {
            return switch (s.kind()) {
                case INT -> Long.parseLong(s.text());
                case FLOAT -> Double.parseDouble(s.text());
                case BOOL -> Boolean.parseBoolean(s.text());
                case NULL -> null;
                case STRING -> s.text();
            };
        } catch (NumberFormatException e) {
            return s.text();
        }
    }

    /** Renders every string of the tree as a template, then writes the tree as JSON. */
    static String render(Object tree, StepContext ctx) throws TemplateException {
        try {
            return JSON.writeValueAsString(renderTree(tree, ctx));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("plain values always serialize", e);
        }
    }

    private static Object renderTree(Object v, StepContext ctx) throws TemplateException {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(String.valueOf(e.getKey()), renderTree(e.getValue(), ctx));
            }
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) {
                out.add(renderTree(o, ctx));
            }
            return out;
        }
        return v instanceof String s ? ctx.render(s) : v;
    }
}
