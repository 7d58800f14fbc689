package dev.opsctl.action.kube;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A path into an object, JSONPath-like but simpler: dotted keys, {@code [n]} list indexes,
 * {@code [key=value]} filters that pick the first list element whose field equals the value, and
 * {@code ['quoted.key/with-dots']} for keys with dots or slashes:
 * {@code status.conditions[type=Available].status},
 * {@code metadata.annotations['deployment.kubernetes.io/revision']}.
 */
public record FieldPath(String text, List<Segment> segments) {
    /** One step of a path. */
    public sealed interface Segment permits Key, Index, Filter {}

    public record Key(String name) implements Segment {}

    public record Index(int index) implements Segment {}

    public record Filter(String key, String value) implements Segment {}

    public FieldPath {
        segments = List.copyOf(segments);
    }

    /** Parses a path; the error says what is wrong and where (0-based offset into the text). */
    public static FieldPath parse(String text) throws IllegalArgumentException {
        List<Segment> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        if (n == 0) {
            throw new IllegalArgumentException("the field path is empty");
        }
        while (i < n) {
            char c = text.charAt(i);
            if (c == '[') {
                int close = text.indexOf(']', i);
                if (close < 0) {
                    throw new IllegalArgumentException("'[' at offset " + i + " is not closed");
                }
                out.add(bracket(text.substring(i + 1, close), i));
                i = close + 1;
            } else if (c == '.') {
                if (i == 0 || i + 1 >= n || text.charAt(i + 1) == '.' || text.charAt(i + 1) == '[') {
                    throw new IllegalArgumentException("empty key at offset " + i);
                }
                i++;
            } else {
                int end = i;
                while (end < n && text.charAt(end) != '.' && text.charAt(end) != '[') {
                    end++;
                }
                out.add(new Key(text.substring(i, end)));
                i = end;
            }
        }
        return new FieldPath(text, out);
    }

    private static Segment bracket(String inner, int at) {
        String s = inner.strip();
        if (s.matches("\\d+")) {
            return new Index(Integer.parseInt(s));
        }
        if (s.length() >= 2 && (s.startsWith("'") && s.endsWith("'") || s.startsWith("\"") && s.endsWith("\""))) {
            return new Key(s.substring(1, s.length() - 1));
        }
        int eq = s.indexOf('=');
        if (eq > 0) {
            String v = s.substring(eq + 1).strip();
            if (v.length() >= 2 && (v.startsWith("'") && v.endsWith("'") || v.startsWith("\"") && v.endsWith("\""))) {
                v = v.substring(1, v.length() - 1);
            }
            return new Filter(s.substring(0, eq).strip(), v);
        }
        throw new IllegalArgumentException("'[" + inner + "]' at offset " + at
                + " is neither an index ([0]), a filter ([type=Ready]) nor a quoted key (['a.b/c'])");
    }

    /** The value at this path, or empty when any step is missing. */
    public Optional<Object> read(Object root) {
        Object cur = root;
        for (Segment s : segments) {
            if (cur == null) {
                return Optional.empty();
            }
            if (s instanceof Key k) {
                cur = cur instanceof Map<?, ?> m ? m.get(k.name()) : null;
            } else if (s instanceof Index ix) {
                cur = cur instanceof List<?> l && ix.index() < l.size() ? l.get(ix.index()) : null;
            } else if (s instanceof Filter f) {
                cur = cur instanceof List<?> l ? l.stream()
                        .filter(e -> e instanceof Map<?, ?> m && m.get(f.key()) != null && String.valueOf(m.get(f.key())).equals(f.value()))
                        .findFirst().orElse(null) : null;
            }
        }
        return Optional.ofNullable(cur);
    }

    @Override
    public String toString() {
        return text;
    }
}
