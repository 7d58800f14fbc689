package dev.opsctl.source;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A YAML mapping with string keys, in file order; each entry keeps its key's position. */
public record MapNode(Map<String, Entry> entries, SourcePos pos) implements Node {
    /** {@code plainKey}: the key is written without quotes, so that YAML may read it as a number or a boolean. */
    public record Entry(String key, SourcePos keyPos, Node value, boolean plainKey) {}

    public MapNode {
        entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    public Optional<Node> get(String key) {
        Entry e = entries.get(key);
        return e == null ? Optional.empty() : Optional.of(e.value());
    }

    public Optional<Entry> entry(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    @Override
    public String describe() {
        return "a mapping";
    }
}
