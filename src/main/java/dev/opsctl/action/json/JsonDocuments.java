package dev.opsctl.action.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Parsing, deep merging and writing JSON documents the way configuration files want them. */
final class JsonDocuments {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonDocuments() {}

    static ObjectNode parseObject(String text) throws JsonProcessingException {
        if (text.isBlank()) {
            return MAPPER.createObjectNode();
        }
        JsonNode n = MAPPER.readTree(text);
        if (n == null || n.isMissingNode()) {
            return MAPPER.createObjectNode();
        }
        if (!(n instanceof ObjectNode o)) {
            throw new IllegalArgumentException("the top level is " + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                    + ", not an object");
        }
        return o;
    }

    /** Merges {@code set} into {@code doc} in place; returns the dotted paths whose value changed. */
    static List<String> merge(ObjectNode doc, Map<String, Object> set) {
        List<String> changed = new ArrayList<>();
        merge(doc, MAPPER.valueToTree(set), "", changed);
        return changed;
    }

    private static void merge(ObjectNode doc, JsonNode patch, String prefix, List<String> changed) {
        patch.properties().forEach(e -> {
            String path = prefix + e.getKey();
            JsonNode old = doc.get(e.getKey());
            if (old instanceof ObjectNode oldObj && e.getValue() instanceof ObjectNode) {
                merge(oldObj, e.getValue(), path + ".", changed);
            } else if (old == null || !old.equals(e.getValue())) {
                doc.set(e.getKey(), e.getValue().deepCopy());
                changed.add(path);
            }
        });
    }

    /** Removes dotted paths; returns those that were present. */
    static List<String> remove(ObjectNode doc, List<String> paths) {
        List<String> removed = new ArrayList<>();
        for (String p : paths) {
            String[] parts = p.split("\\.");
            JsonNode parent = doc;
            for (int i = 0; i < parts.length - 1 && parent != null; i++) {
                parent = parent.get(parts[i]);
            }
            if (parent instanceof ObjectNode o && o.has(parts[parts.length - 1])) {
                o.remove(parts[parts.length - 1]);
                removed.add(p);
            }
        }
        return removed;
    }

    /** Two-space indentation and a final newline, as daemon.json is usually written. */
    static String write(ObjectNode doc) throws JsonProcessingException {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        return MAPPER.writer(printer).writeValueAsString(doc) + "\n";
    }
}
