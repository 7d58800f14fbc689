package dev.opsctl.action.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a backup step made, as the JSON string it stores in {@code steps.<id>.manifest} for a
 * later {@code restore}: per original path, the copy's path and sha256, or that it was absent.
 */
public record Manifest(List<Entry> entries) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One backed-up path. An absent path has empty {@code backup} and {@code sha256}. */
    public record Entry(String original, String backup, String sha256, boolean absent) {}

    public Manifest {
        entries = List.copyOf(entries);
    }

    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        for (Entry e : entries) {
            ObjectNode n = root.putObject(e.original());
            n.put("backup", e.backup());
            n.put("sha256", e.sha256());
            n.put("absent", e.absent());
        }
        return root.toString();
    }

    /** The manifest in {@code json}, or empty when it is not one. */
    public static Optional<Manifest> parse(String json) {
        try {
            JsonNode root = JSON.readTree(json);
            if (root == null || !root.isObject()) {
                return Optional.empty();
            }
            List<Entry> out = new ArrayList<>();
            for (Map.Entry<String, JsonNode> f : root.properties()) {
                JsonNode n = f.getValue();
                out.add(new Entry(f.getKey(), n.path("backup").asText(""), n.path("sha256").asText(""), n.path("absent").asBoolean(false)));
            }
            return Optional.of(new Manifest(out));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** Original path to backup path ("" when absent). */
    public Map<String, Object> paths() {
        Map<String, Object> m = new LinkedHashMap<>();
        entries.forEach(e -> m.put(e.original(), e.backup()));
        return m;
    }

    /** Original path to the copy's sha256 ("" when absent). */
    public Map<String, Object> checksums() {
        Map<String, Object> m = new LinkedHashMap<>();
        entries.forEach(e -> m.put(e.original(), e.sha256()));
        return m;
    }
}
