package dev.opsctl.target.prometheus;

import java.util.List;

/**
 * What a query returned. A {@code vector} or {@code scalar} fills {@link #samples()} (a scalar as one
 * sample without labels); a {@code matrix} fills {@link #series()}; a {@code string} result keeps its
 * text in {@link #text()}. {@link #warnings()} are Prometheus' own (e.g. a partial response).
 */
public record QueryResult(Type type, List<Sample> samples, List<RangeSeries> series, String text, List<String> warnings) {
    public enum Type {
        VECTOR,
        SCALAR,
        MATRIX,
        STRING
    }

    public QueryResult {
        samples = List.copyOf(samples);
        series = List.copyOf(series);
        warnings = List.copyOf(warnings);
    }
}
