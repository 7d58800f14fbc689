package dev.opsctl.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One opsctl invocation with {@code -o json}: its exit code, its events (stdout) and its console (stderr). */
record RolloutRun(int exitCode, List<JsonNode> events, String console, Duration took) {
    private static final ObjectMapper JSON = new ObjectMapper();

    RolloutRun {
        events = List.copyOf(events);
    }

    static List<JsonNode> parse(String jsonLines) {
        List<JsonNode> out = new ArrayList<>();
        for (String line : jsonLines.split("\n")) {
            if (!line.isBlank()) {
                out.add(event(line));
            }
        }
        return out;
    }

    static JsonNode event(String line) {
        try {
            return JSON.readTree(line);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException("not a JSON event: '" + line + "'", e);
        }
    }

    String runId() {
        return events.stream().filter(e -> e.path("type").asText().equals("run-started")).findFirst()
                .map(e -> e.get("runId").asText())
                .orElseThrow(() -> new AssertionError("no run-started event\n" + dump()));
    }

    List<JsonNode> ofType(String type) {
        return events.stream().filter(e -> e.path("type").asText().equals(type)).toList();
    }

    List<JsonNode> onHost(String type, String host) {
        return ofType(type).stream().filter(e -> e.path("host").asText().equals(host)).toList();
    }

    /** The ids of the steps started on {@code host}, in order (an attempt each). */
    List<String> stepsStarted(String host) {
        return onHost("step-started", host).stream().map(e -> e.get("step").asText()).toList();
    }

    Optional<JsonNode> runFinished() {
        return ofType("run-finished").stream().findFirst();
    }

    /** The tail of the console and every event, for assertion messages. */
    String dump() {
        String[] lines = console.split("\n");
        int from = Math.max(0, lines.length - 80);
        StringBuilder b = new StringBuilder("exit ").append(exitCode).append(" after ").append(took.toSeconds()).append(" s\n--- console (tail)\n");
        for (int i = from; i < lines.length; i++) {
            b.append(lines[i]).append('\n');
        }
        b.append("--- events: ").append(events.size()).append('\n');
        events.stream().filter(e -> !e.path("type").asText().startsWith("step-")).forEach(e -> b.append(e).append('\n'));
        return b.toString();
    }
}
