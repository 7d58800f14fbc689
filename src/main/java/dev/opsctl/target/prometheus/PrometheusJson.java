package dev.opsctl.target.prometheus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the JSON envelopes of Prometheus' HTTP API ({@code {"status": ..., "data": ...}}). Values
 * arrive as strings, including {@code "NaN"}, {@code "+Inf"} and {@code "-Inf"}. Stateless.
 */
final class PrometheusJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The body is not what the API documents (a proxy's HTML page, a truncated answer). */
    static final class BadResponse extends Exception {
        BadResponse(String message) {
            super(message);
        }
    }

    /** An answer with {@code "status": "error"}: Prometheus' {@code errorType} and {@code error}. */
    record ApiError(String type, String message) {}

    private PrometheusJson() {}

    static JsonNode tree(String body) throws BadResponse {
        try {
            JsonNode root = JSON.readTree(body);
            if (root == null || !root.isObject()) {
                throw new BadResponse("not a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new BadResponse("not JSON: " + e.getOriginalMessage());
        }
    }

    /** The error of an error envelope, if the body is one. */
    static Optional<ApiError> error(String body) {
        try {
            JsonNode root = tree(body);
            if ("error".equals(root.path("status").asText()) && root.hasNonNull("error")) {
                return Optional.of(new ApiError(root.path("errorType").asText("unknown"), root.get("error").asText()));
            }
        } catch (BadResponse e) {
            // not an API envelope: the caller reports the HTTP status instead
        }
        return Optional.empty();
    }

    static QueryResult query(String body) throws BadResponse {
        JsonNode root = tree(body);
        JsonNode data = data(root);
        String type = data.path("resultType").asText("");
        JsonNode result = data.path("result");
        List<String> warnings = new ArrayList<>();
        root.path("warnings").forEach(w -> warnings.add(w.asText()));
        switch (type) {
            case "vector" -> {
                List<Sample> samples = new ArrayList<>();
                for (JsonNode s : array(result, "result")) {
                    if (!s.has("value")) {
                        // a native histogram sample ("histogram": ...) has no single value to compare
                        warnings.add("skipped series " + labels(s.path("metric")) + ": it has no plain value");
                        continue;
                    }
                    JsonNode point = s.get("value");
                    samples.add(new Sample(labels(s.path("metric")), time(point), value(point)));
                }
                return new QueryResult(QueryResult.Type.VECTOR, samples, List.of(), "", warnings);
            }
            case "scalar" -> {
                return new QueryResult(QueryResult.Type.SCALAR, List.of(new Sample(Map.of(), time(result), value(result))),
                        List.of(), "", warnings);
            }
            case "string" -> {
                return new QueryResult(QueryResult.Type.STRING, List.of(), List.of(), pair(result).get(1).asText(), warnings);
            }
            case "matrix" -> {
                return new QueryResult(QueryResult.Type.MATRIX, List.of(), matrix(result), "", warnings);
            }
            default -> throw new BadResponse("unknown result type '" + type + "'");
        }
    }

    static List<RangeSeries> matrix(String body) throws BadResponse {
        JsonNode data = data(tree(body));
        if (!"matrix".equals(data.path("resultType").asText())) {
            throw new BadResponse("expected a matrix, got '" + data.path("resultType").asText() + "'");
        }
        return matrix(data.path("result"));
    }

    static List<ScrapeTarget> targets(String body) throws BadResponse {
        List<ScrapeTarget> out = new ArrayList<>();
        for (JsonNode t : array(data(tree(body)).path("activeTargets"), "activeTargets")) {
            ScrapeTarget.Health health = switch (t.path("health").asText("").toLowerCase(Locale.ROOT)) {
                case "up" -> ScrapeTarget.Health.UP;
                case "down" -> ScrapeTarget.Health.DOWN;
                default -> ScrapeTarget.Health.UNKNOWN;
            };
            out.add(new ScrapeTarget(labels(t.path("labels")), t.path("scrapeUrl").asText(""), health,
                    t.path("lastError").asText(""), instant(t.path("lastScrape").asText(""))));
        }
        return out;
    }

    static String snapshotName(String body) throws BadResponse {
        String name = data(tree(body)).path("name").asText("");
        if (name.isEmpty()) {
            throw new BadResponse("no snapshot name in the answer");
        }
        return name;
    }

    private static JsonNode data(JsonNode root) throws BadResponse {
        if (!"success".equals(root.path("status").asText())) {
            throw new BadResponse("status is '" + root.path("status").asText() + "', not 'success'");
        }
        JsonNode data = root.path("data");
        if (!data.isObject()) {
            throw new BadResponse("no 'data' object");
        }
        return data;
    }

    private static List<RangeSeries> matrix(JsonNode result) throws BadResponse {
        List<RangeSeries> out = new ArrayList<>();
        for (JsonNode s : array(result, "result")) {
            List<RangeSeries.Point> points = new ArrayList<>();
            for (JsonNode p : array(s.path("values"), "values")) {
                points.add(new RangeSeries.Point(time(p), value(p)));
            }
            out.add(new RangeSeries(labels(s.path("metric")), points));
        }
        return out;
    }

    private static List<JsonNode> array(JsonNode node, String what) throws BadResponse {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new BadResponse("'" + what + "' is not a list");
        }
        List<JsonNode> out = new ArrayList<>();
        node.forEach(out::add);
        return out;
    }

    private static Map<String, String> labels(JsonNode metric) {
        Map<String, String> out = new LinkedHashMap<>();
        metric.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** {@code [1700000000.123, "0.5"]}. */
    private static List<JsonNode> pair(JsonNode point) throws BadResponse {
        if (!point.isArray() || point.size() != 2 || !point.get(0).isNumber()) {
            throw new BadResponse("a sample is not [time, \"value\"]: " + point);
        }
        return List.of(point.get(0), point.get(1));
    }

    private static Instant time(JsonNode point) throws BadResponse {
        return Instant.ofEpochMilli(Math.round(pair(point).get(0).asDouble() * 1000));
    }

    static double value(JsonNode point) throws BadResponse {
        String text = pair(point).get(1).asText();
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                try {
                    yield Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new BadResponse("a sample value is not a number: '" + text + "'");
                }
            }
        };
    }

    private static Optional<Instant> instant(String text) {
        try {
            Instant t = OffsetDateTime.parse(text).toInstant();
            // Go's zero time: never scraped yet
            return t.isBefore(Instant.EPOCH) ? Optional.empty() : Optional.of(t);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
