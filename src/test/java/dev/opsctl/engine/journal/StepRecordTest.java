package dev.opsctl.engine.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.template.Unavailable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepRecordTest {
    private static StepRecord record(Map<String, Object> result, Map<String, List<List<String>>> incomplete) {
        return new StepRecord("save", "ok", 0, 1, "", result, false, incomplete);
    }

    @Test
    void restoredMarksEachIncompleteValueAtItsPathAndKeepsTheRest() {
        Map<String, Object> result = Map.of("rc", 0, "stdout", "head...", "object",
                Map.of("items", List.of("a", "ops:********"), "name", "cm1"));
        StepRecord r = record(result, Map.of("cut", List.of(List.of("stdout")), "masked", List.of(List.of("object", "items", "1"))));

        Map<String, Object> restored = r.restored();
        assertEquals(new Unavailable("it was over 64K characters and the journal keeps only its head"), restored.get("stdout"));
        Map<?, ?> object = (Map<?, ?>) restored.get("object");
        assertEquals(List.of("a", new Unavailable("it held a secret's value, which the journal keeps masked")), object.get("items"));
        assertEquals("cm1", object.get("name"));
        assertEquals(0, restored.get("rc"));
        assertEquals("ops:********", ((List<?>) ((Map<?, ?>) r.result().get("object")).get("items")).get(1), "the record is unchanged");
    }

    @Test
    void aPathTheResultDoesNotHaveMarksNothingAndAWholeResultIsReturnedAsIs() {
        Map<String, Object> result = Map.of("stdout", "ok");
        StepRecord r = record(result, Map.of("masked", List.of(List.of("object", "data"), List.of("stdout", "0"))));
        assertEquals(result, r.restored());
        assertTrue(r.restored().values().stream().noneMatch(Unavailable.class::isInstance));
        StepRecord whole = record(result, Map.of());
        assertSame(whole.result(), whole.restored());
    }

    @Test
    void anEmptyPathFromAHandEditedJournalMarksNothing() {
        Map<String, Object> result = Map.of("stdout", "x");
        assertEquals(result, record(result, Map.of("cut", List.of(List.of()))).restored(), "was a ClassCastException (found by review)");
    }
}
