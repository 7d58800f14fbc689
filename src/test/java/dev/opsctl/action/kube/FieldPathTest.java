package dev.opsctl.action.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FieldPathTest {
    private final Map<String, Object> d = Map.of(
            "metadata", Map.of("annotations", Map.of("deployment.kubernetes.io/revision", "4")),
            "spec", Map.of("template", Map.of("spec", Map.of("containers", List.of(Map.of("name", "api", "image", "api:2"))))),
            "status", Map.of("readyReplicas", 3, "conditions", List.of(
                    Map.of("type", "Progressing", "status", "True"), Map.of("type", "Available", "status", "False"))));

    private Optional<Object> read(String path) {
        return FieldPath.parse(path).read(d);
    }

    @Test
    void readsDottedKeysIndexesFiltersAndQuotedKeys() {
        assertEquals(Optional.of(3), read("status.readyReplicas"));
        assertEquals(Optional.of("False"), read("status.conditions[type=Available].status"));
        assertEquals(Optional.of("True"), read("status.conditions[type='Progressing'].status"));
        assertEquals(Optional.of("api:2"), read("spec.template.spec.containers[0].image"));
        assertEquals(Optional.of("4"), read("metadata.annotations['deployment.kubernetes.io/revision']"));
    }

    @Test
    void aMissingStepIsEmptyNotAnError() {
        assertTrue(read("status.unavailableReplicas").isEmpty());
        assertTrue(read("status.conditions[type=Ready].status").isEmpty());
        assertTrue(read("spec.template.spec.containers[3].image").isEmpty());
        assertTrue(read("status.readyReplicas.x").isEmpty());
    }

    @Test
    void malformedPathsSayWhatIsWrong() {
        assertEquals("'[' at offset 17 is not closed",
                assertThrows(IllegalArgumentException.class, () -> FieldPath.parse("status.conditions[type=Ready")).getMessage());
        assertEquals("empty key at offset 6", assertThrows(IllegalArgumentException.class, () -> FieldPath.parse("status..x")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FieldPath.parse("a[x]")).getMessage().contains("neither an index"));
    }
}
