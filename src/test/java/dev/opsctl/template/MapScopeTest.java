package dev.opsctl.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MapScopeTest {
    private final MapScope scope = new MapScope(Map.of(
            "host", Map.of("name", "web1"),
            "params", Map.of("ports", List.of(80L, 443L)),
            "steps", Map.of("build", Map.of("data", List.of(Map.of("id", "x1"))))));

    @Test
    void walksNestedMapsAndListIndexes() {
        assertEquals(Optional.of("web1"), scope.lookup(List.of("host", "name")));
        assertEquals(Optional.of(443L), scope.lookup(List.of("params", "ports", "1")));
        assertEquals(Optional.of("x1"), scope.lookup(List.of("steps", "build", "data", "0", "id")));
    }

    @Test
    void missingPathsAreEmpty() {
        assertTrue(scope.lookup(List.of("host", "nope")).isEmpty());
        assertTrue(scope.lookup(List.of("params", "ports", "2")).isEmpty());
        assertTrue(scope.lookup(List.of("params", "ports", "x")).isEmpty());
        assertTrue(scope.lookup(List.of("host", "name", "more")).isEmpty());
        assertTrue(scope.lookup(List.of()).isEmpty());
    }

    @Test
    void anIncludedStepsDottedIdIsFoundOverSeveralSegments() {
        MapScope steps = new MapScope(Map.of("steps", Map.of("outer.inner.leaf", Map.of("stdout", "hi"), "outer.a", Map.of("rc", 0L))));
        assertEquals(Optional.of("hi"), steps.lookup(List.of("steps", "outer", "inner", "leaf", "stdout")));
        assertEquals(Optional.of(0L), steps.lookup(List.of("steps", "outer", "a", "rc")));
        assertTrue(steps.lookup(List.of("steps", "outer", "inner", "stdout")).isEmpty());
        assertTrue(steps.lookup(List.of("steps", "outer")).isEmpty(), "an include's id is no step of its own");
    }

    @Test
    void nullValuesCountAsMissing() {
        Map<String, Object> root = new HashMap<>();
        root.put("x", null);
        assertTrue(new MapScope(root).lookup(List.of("x")).isEmpty());
    }

    @Test
    void withReplacesOneKeyInACopy() {
        MapScope more = scope.with("status", 503L).with("host", Map.of("name", "web2"));
        assertEquals(Optional.of(503L), more.lookup(List.of("status")));
        assertEquals(Optional.of("web2"), more.lookup(List.of("host", "name")));
        assertEquals(Optional.of("web1"), scope.lookup(List.of("host", "name")));
        assertTrue(scope.lookup(List.of("status")).isEmpty());
    }

    @Test
    void orElseFallsThroughPerPath() {
        Scope layered = new MapScope(Map.of("steps", Map.of("a", "first"), "status", 200L))
                .orElse(new MapScope(Map.of("steps", Map.of("a", "hidden", "b", "second"))));
        assertEquals(Optional.of("first"), layered.lookup(List.of("steps", "a")));
        assertEquals(Optional.of("second"), layered.lookup(List.of("steps", "b")));
        assertEquals(Optional.of(200L), layered.lookup(List.of("status")));
        assertTrue(layered.lookup(List.of("nope")).isEmpty());
        assertTrue(Scope.empty().lookup(List.of("status")).isEmpty());
    }
}
