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
 * later {@code restore}: per original path, the copy's path and sha256 and what the path was
 * ({@link Kind}), or that it was absent.
 */
public record Manifest(List<Entry> entries) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One backed-up path. An absent path has empty {@code backup} and {@code sha256}. */
    public record Entry(String original, String backup, String sha256, Kind kind) {
        public boolean absent() {
            return kind instanceof Kind.Absent;
        }

        public Entry withSha256(String sum) {
            return new Entry(original, backup, sum, kind);
        }
    }

    /** A file, or a directory: the two things a backed-up path or a symlink's target may be. */
    public enum Type {
        FILE("file"),
        DIR("dir");

        private final String word;

        Type(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        static Optional<Type> of(String word) {
            for (Type t : values()) {
                if (t.word.equals(word)) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }

    /** What the original path was when it was backed up, which decides how it is restored. */
    public sealed interface Kind {
        /** Did not exist: a restore removes whatever is there. */
        record Absent() implements Kind {}

        /** A file or directory: restored at exactly that path; a symlink there now is replaced, not followed. */
        record Plain(Type type) implements Kind {}

        /**
         * A symlink whose text was {@code target} and which resolved to {@code resolved}, a file or
         * directory of type {@code resolvedType}, whose content is the backup.
         */
        record Symlink(String target, String resolved, Type resolvedType) implements Kind {}

        /** Named in restore's explicit {@code paths}: restored at exactly that path, like {@link Plain}. */
        record Named() implements Kind {}

        /**
         * From a manifest written before kinds were recorded (or an entry missing one of them): a
         * symlink there now may or may not have been one at backup time, so a restore refuses it.
         */
        record Unrecorded() implements Kind {}
    }

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
            if (e.kind() instanceof Kind.Plain p) {
                n.put("type", p.type().word());
            } else if (e.kind() instanceof Kind.Symlink l) {
                n.put("type", "link");
                n.put("link_target", l.target());
                n.put("resolved", l.resolved());
                n.put("resolved_type", l.resolvedType().word());
            }
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
                out.add(new Entry(f.getKey(), n.path("backup").asText(""), n.path("sha256").asText(""), kind(n)));
            }
            return Optional.of(new Manifest(out));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** Anything not written by this version (no 'type', or a link missing a field) is {@link Kind.Unrecorded}. */
    private static Kind kind(JsonNode n) {
        if (n.path("absent").asBoolean(false)) {
            return new Kind.Absent();
        }
        String type = n.path("type").asText("");
        if (type.equals("link")) {
            String target = n.path("link_target").asText("");
            String resolved = n.path("resolved").asText("");
            Optional<Type> resolvedType = Type.of(n.path("resolved_type").asText(""));
            return target.isEmpty() || resolved.isEmpty() || resolvedType.isEmpty()
                    ? new Kind.Unrecorded()
                    : new Kind.Symlink(target, resolved, resolvedType.get());
        }
        return Type.of(type).<Kind>map(Kind.Plain::new).orElseGet(Kind.Unrecorded::new);
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
