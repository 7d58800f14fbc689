package dev.opsctl.engine.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.StepResult;
import dev.opsctl.engine.journal.JsonValues;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EventResultTest {
    private static StepResult shell(String stdout, Map<String, Object> data) {
        return new StepResult(StepResult.Outcome.CHANGED, 0, stdout, "", "exit 0", data, Duration.ZERO);
    }

    @Test
    void aLongOutputIsCarriedAsItsHeadInEveryFormAndSaysSo() {
        List<String> lines = IntStream.range(0, 200_000).mapToObj(i -> "line " + i).toList();
        String out = String.join("\n", lines);
        EventResult r = EventResult.of(shell(out, Map.of("stdout_lines", lines)), Masks.of(List.of()));

        assertEquals(Map.of("cut", List.of(List.of("stdout"), List.of("stdout_lines"))), r.incomplete());
        assertTrue(((String) r.fields().get("stdout")).startsWith("line 0\nline 1\n"));
        assertTrue(((String) r.fields().get("stdout")).length() < OutputCap.LIMIT + 100);
        List<?> kept = (List<?>) r.fields().get("stdout_lines");
        assertEquals(lines.subList(0, kept.size()), kept);
        int size = kept.stream().mapToInt(l -> l.toString().length() + 1).sum();
        assertTrue(size <= OutputCap.LIMIT && size > OutputCap.LIMIT - 20, "lines up to the limit: " + size);
    }

    @Test
    void aShortOutputIsWholeAndAMaskedValueIsNamedByItsPath() {
        Map<String, Object> data = Map.of("object", Map.of("data", Map.of("url", "https://ops:hunter22@db/"), "items", List.of("a", "hunter22")));
        EventResult r = EventResult.of(shell("ok", data), Masks.of(List.of("hunter22")));

        assertEquals("ok", r.fields().get("stdout"));
        assertEquals(List.of("masked"), List.copyOf(r.incomplete().keySet()));
        assertEquals(List.of(List.of("object", "data", "url"), List.of("object", "items", "1")),
                r.incomplete().get("masked").stream().sorted(Comparator.comparing(p -> String.join(".", p))).toList());
        assertFalse(JsonValues.plainMap(r.fields(), s -> s).toString().contains("hunter22"));
        assertEquals(Map.of(), EventResult.of(shell("ok", Map.of()), Masks.of(List.of("hunter22"))).incomplete());
    }

    @Test
    void aSecretAsAKeyIsMaskedAndItsValueNamedIncomplete() {
        // found by review: keys were copied as they were, so a body keyed by a token reached the journal
        Map<String, Object> data = Map.of("json", Map.of("sessions", Map.of("tok-hunter22", Map.of("user", "ops"))));
        EventResult r = EventResult.of(shell("ok", data), Masks.of(List.of("hunter22")));

        assertFalse(JsonValues.plainMap(r.fields(), s -> s).toString().contains("hunter22"), r.fields().toString());
        assertEquals(Map.of("masked", List.of(List.of("json", "sessions", "tok-********"))), r.incomplete());
    }

    @Test
    void twoKeysThatMaskAlikeAreBothKept() {
        // found by review: both became '********' and one entry replaced the other
        Map<String, Object> data = Map.of("sessions", Map.of("tokA-secret", "ops", "tokB-secret", "admin"));
        EventResult r = EventResult.of(shell("ok", data), Masks.of(List.of("tokA-secret", "tokB-secret")));
        Map<?, ?> sessions = (Map<?, ?>) r.fields().get("sessions");
        assertEquals(java.util.Set.of("ops", "admin"), java.util.Set.copyOf(sessions.values()), sessions.toString());
        assertEquals(java.util.Set.of("********", "******** (2)"), sessions.keySet());
        assertEquals(2, r.incomplete().get("masked").size());
    }
}
