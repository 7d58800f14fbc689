package dev.opsctl.action.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A JSON response body as plain template values (Map, List, String, Long, Double, Boolean), so a
 * later step can read {@code steps.snap.json.data.name}. A JSON null becomes "" because template
 * scopes hold no nulls. Thread-safe.
 */
final class JsonBody {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonBody() {}

    /** Empty when the body is not a JSON object or array (plain text, HTML, a body cut at the size cap). */
    static Optional<Object> parse(String body) {
        String s = body.stripLeading();
        if (!s.startsWith("{") && !s.startsWith("[")) {
            return Optional.empty();
        }
        try {
            return Optional.of(plain(MAPPER.readTree(s)));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static Object plain(JsonNode n) {
        if (n.isObject()) {
            Map<String, Object> out = new LinkedHashMap<>();
            n.properties().forEach(e -> out.put(e.getKey(), plain(e.getValue())));
            return Collections.unmodifiableMap(out);
        }
        if (n.isArray()) {
            List<Object> out = new ArrayList<>();
            n.forEach(i -> out.add(plain(i)));
            return Collections.unmodifiableList(out);
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.longValue();
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        return n.isNull() ? "" : n.asText();
    }
}
