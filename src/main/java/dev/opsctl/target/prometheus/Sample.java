package dev.opsctl.target.prometheus;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * One value of an instant query: a series' labels (empty for a scalar) and its value at {@code time}.
 * The value may be NaN or infinite, as Prometheus reports them.
 */
public record Sample(Map<String, String> labels, Instant time, double value) {
    public Sample {
        labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    /** The series as PromQL writes it: {@code {code="500", job="web"}}, or {@code {}}. */
    public String labelText() {
        StringBuilder out = new StringBuilder("{");
        labels.forEach((k, v) -> {
            if (out.length() > 1) {
                out.append(", ");
            }
            out.append(k).append("=\"").append(v).append('"');
        });
        return out.append('}').toString();
    }
}
