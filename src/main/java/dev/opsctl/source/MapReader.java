package dev.opsctl.source;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Typed, position-aware access to one YAML mapping. Every key asked for (present or not) becomes
 * a known key; {@link #finish()} reports the keys nobody asked for as unknown, with a did-you-mean.
 * Type mismatches and missing required keys are reported to {@link Problems}, never thrown.
 */
public final class MapReader {
    private final MapNode node;
    private final String what;
    private final Problems problems;
    private final Set<String> known = new LinkedHashSet<>();

    private MapReader(MapNode node, String what, Problems problems) {
        this.node = node;
        this.what = what;
        this.problems = problems;
    }

    /** A reader over {@code node}, or a problem ("'what' must be a mapping") and empty. */
    public static Optional<MapReader> of(Node node, String what, Problems problems) {
        if (node instanceof MapNode map) {
            return Optional.of(new MapReader(map, what, problems));
        }
        problems.error(node.pos(), what + " must be a mapping, not " + node.describe());
        return Optional.empty();
    }

    public MapNode node() {
        return node;
    }

    public SourcePos pos() {
        return node.pos();
    }

    public String what() {
        return what;
    }

    public Problems problems() {
        return problems;
    }

    public boolean has(String key) {
        known.add(key);
        return node.entries().containsKey(key);
    }

    /** Marks keys as known without reading them (read elsewhere, e.g. by a step type). */
    public void allow(String... keys) {
        known.addAll(List.of(keys));
    }

    public Optional<Node> node(String key) {
        known.add(key);
        return node.get(key);
    }

    /** The position of a key if present, else of the mapping. */
    public SourcePos keyPos(String key) {
        return node.entry(key).map(MapNode.Entry::keyPos).orElse(node.pos());
    }

    public Optional<String> string(String key) {
        return node(key).flatMap(n -> scalarText(key, n));
    }

    public String requiredString(String key, String hint) {
        Optional<String> v = string(key);
        if (v.isEmpty() && !node.entries().containsKey(key)) {
            problems.error(node.pos(), "missing required key '" + key + "' in " + what, hint);
        }
        return v.orElse("");
    }

    public Optional<Integer> integer(String key) {
        return node(key).flatMap(n -> {
            if (n instanceof ScalarNode s && s.kind() == ScalarNode.Kind.INT) {
                try {
                    return Optional.of(Integer.parseInt(s.text()));
                } catch (NumberFormatException e) {
                    problems.error(n.pos(), "'" + key + "' in " + what + " is out of range: " + s.text());
                    return Optional.empty();
                }
            }
            problems.error(n.pos(), "'" + key + "' in " + what + " must be an integer, not " + n.describe());
            return Optional.empty();
        });
    }

    public Optional<Boolean> bool(String key) {
        return node(key).flatMap(n -> {
            if (n instanceof ScalarNode s && s.kind() == ScalarNode.Kind.BOOL) {
                return Optional.of(Boolean.parseBoolean(s.text()));
            }
            problems.error(n.pos(), "'" + key + "' in " + what + " must be true or false, not " + n.describe());
            return Optional.empty();
        });
    }

    public Optional<Duration> duration(String key) {
        return node(key).flatMap(n -> duration(key, n));
    }

    /** A list of strings; a single scalar counts as a list of one. */
    public List<String> stringList(String key) {
        Optional<Node> n = node(key);
        if (n.isEmpty()) {
            return List.of();
        }
        if (n.get() instanceof SeqNode seq) {
            List<String> out = new ArrayList<>();
            for (Node item : seq.items()) {
                scalarText(key, item).ifPresent(out::add);
            }
            return out;
        }
        return scalarText(key, n.get()).map(List::of).orElse(List.of());
    }

    public Optional<MapReader> map(String key) {
        return node(key).flatMap(n -> of(n, "'" + key + "' in " + what, problems));
    }

    /** A mapping of string to string (e.g. headers, env). */
    public Map<String, String> stringMap(String key) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        map(key).ifPresent(r -> r.node().entries().forEach((k, e) -> r.scalarText(k, e.value()).ifPresent(v -> out.put(k, v))));
        return out;
    }

    /** Reports every key that no accessor asked for. Call once, after reading. */
    public void finish() {
        for (MapNode.Entry e : node.entries().values()) {
            if (!known.contains(e.key())) {
                problems.error(e.keyPos(), "unknown key '" + e.key() + "' in " + what, DidYouMean.hint(e.key(), known));
            }
        }
    }

    Optional<String> scalarText(String key, Node n) {
        if (n instanceof ScalarNode s && !s.isNull()) {
            return Optional.of(s.text());
        }
        problems.error(n.pos(), "'" + key + "' in " + what + " must be a single value, not " + n.describe());
        return Optional.empty();
    }

    private Optional<Duration> duration(String key, Node n) {
        if (n instanceof ScalarNode s && (s.kind() == ScalarNode.Kind.STRING || s.kind() == ScalarNode.Kind.INT)) {
            Optional<Duration> d = Durations.parse(s.text());
            if (d.isEmpty()) {
                problems.error(n.pos(), "'" + key + "' in " + what + " is not a duration: '" + s.text() + "'",
                        "write a duration like 30s, 5m, 1h30m or 250ms");
            }
            return d;
        }
        problems.error(n.pos(), "'" + key + "' in " + what + " must be a duration like 30s or 5m, not " + n.describe());
        return Optional.empty();
    }
}
