package dev.opsctl.target.prometheus;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One series of a range query (or of an instant query for a range vector): its labels and points in time order. */
public record RangeSeries(Map<String, String> labels, List<Point> points) {
    public record Point(Instant time, double value) {}

    public RangeSeries {
        labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
        points = List.copyOf(points);
    }
}
