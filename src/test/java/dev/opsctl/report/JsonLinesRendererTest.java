package dev.opsctl.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opsctl.event.RunEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class JsonLinesRendererTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> lines() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonLinesRenderer r = new JsonLinesRenderer(new PrintStream(out, true, StandardCharsets.UTF_8));
        SampleEvents.failingRun().forEach(r::accept);
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void theSampleRunCoversEveryEventType() {
        Set<String> all = Arrays.stream(RunEvent.class.getPermittedSubclasses())
                .map(JsonEventDocs::typeName).collect(Collectors.toSet());
        Set<String> seen = SampleEvents.failingRun().stream().map(RunEvent::type).collect(Collectors.toSet());
        assertEquals(all, seen);
    }

    @Test
    void everyLineIsOneJsonObjectWithTypeFirstAndEveryField() throws Exception {
        List<String> lines = lines();
        assertEquals(SampleEvents.failingRun().size(), lines.size());
        for (int i = 0; i < lines.size(); i++) {
            RunEvent ev = SampleEvents.failingRun().get(i);
            JsonNode node = JSON.readTree(lines.get(i));
            assertTrue(node.isObject(), lines.get(i));
            assertEquals(ev.type(), node.get("type").asText(), lines.get(i));
            assertEquals("type", node.fieldNames().next(), lines.get(i));
            for (var c : ev.getClass().getRecordComponents()) {
                assertTrue(node.has(c.getName()), c.getName() + " missing in " + lines.get(i));
            }
        }
    }

    @Test
    void timesAreIsoStringsAndNumbersStayNumbers() throws Exception {
        JsonNode finished = JSON.readTree(lines().get(6));
        assertEquals("step-finished", finished.get("type").asText());
        assertEquals("2026-11-22T02:01:03Z", finished.get("time").asText());
        assertEquals(1200, finished.get("elapsedMs").asLong());
        assertTrue(finished.get("result").isObject());
    }
}
