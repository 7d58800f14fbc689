package dev.opsctl.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.opsctl.event.RunEvent;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One event as one line of JSON: {@code type} first, then the record's components in declaration
 * order. Times are ISO-8601 strings, durations ISO-8601 too, anything unknown its {@code toString()}
 * (a {@link dev.opsctl.source.Secret} prints as its mask). These names are the {@code -o json} contract.
 */
public final class JsonEvents {
    private static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private JsonEvents() {}

    public static Map<String, Object> toMap(RunEvent event) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", event.type());
        for (RecordComponent c : event.getClass().getRecordComponents()) {
            m.put(c.getName(), plain(read(c, event)));
        }
        return m;
    }

    public static String toLine(RunEvent event) {
        try {
            return MAPPER.writeValueAsString(toMap(event));
        } catch (JsonProcessingException e) {
            // Only plain maps, lists, strings, numbers and booleans reach the mapper.
            throw new IllegalStateException("cannot write event '" + event.type() + "' as JSON", e);
        }
    }

    /** Any value made of maps, lists, strings, numbers and booleans as one line of JSON. */
    public static String toJson(Object value) {
        try {
            return MAPPER.writeValueAsString(plain(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private static Object read(RecordComponent c, RunEvent event) {
        try {
            return c.getAccessor().invoke(event);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read '" + c.getName() + "' of event '" + event.type() + "'", e);
        }
    }

    static Object plain(Object v) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Optional<?> o) {
            return o.map(JsonEvents::plain).orElse(null);
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, val) -> out.put(String.valueOf(k), plain(val)));
            return out;
        }
        if (v instanceof Collection<?> col) {
            List<Object> out = new ArrayList<>(col.size());
            col.forEach(x -> out.add(plain(x)));
            return out;
        }
        if (v instanceof Enum<?> e) {
            return e.name().toLowerCase(java.util.Locale.ROOT);
        }
        if (v instanceof TemporalAccessor || v instanceof Duration) {
            return v.toString();
        }
        return v.toString();
    }
}
