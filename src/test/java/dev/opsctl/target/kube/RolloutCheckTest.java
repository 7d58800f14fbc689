package dev.opsctl.target.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutCheckTest {
    private static Map<String, Object> d(long gen, long observed, long replicas, long current, long updated, long available) {
        return Map.of("metadata", Map.of("generation", gen), "spec", Map.of("replicas", replicas),
                "status", Map.of("observedGeneration", observed, "replicas", current, "updatedReplicas", updated, "availableReplicas", available));
    }

    @Test
    void namesTheFirstMissingCondition() {
        assertEquals("waiting for the deployment controller to observe generation 2 (observed 1)", RolloutCheck.evaluate(d(2, 1, 3, 3, 3, 3)).reason());
        assertEquals("1 of 3 new replicas updated", RolloutCheck.evaluate(d(2, 2, 3, 4, 1, 3)).reason());
        assertEquals("1 old replicas pending termination", RolloutCheck.evaluate(d(2, 2, 3, 4, 3, 3)).reason());
        assertEquals("2 of 3 updated replicas available", RolloutCheck.evaluate(d(2, 2, 3, 3, 3, 2)).reason());
        assertTrue(RolloutCheck.evaluate(d(2, 2, 3, 3, 3, 3)).done());
    }

    @Test
    void progressDeadlineExceededIsAFailure() {
        Map<String, Object> d = Map.of("metadata", Map.of("generation", 1), "spec", Map.of("replicas", 1), "status", Map.of(
                "observedGeneration", 1, "conditions", List.of(Map.of("type", "Progressing", "status", "False", "reason", "ProgressDeadlineExceeded"))));
        assertTrue(RolloutCheck.evaluate(d).failed());
    }
}
