package dev.opsctl.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opsctl.action.http.TestServer;
import dev.opsctl.event.RunEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NotifySinkTest {
    private static final String HOOK = "/hooks/s3cretT0kenXYZ";
    private static final String ID = "20261122-020100-7f3a";
    private static final Instant T = Instant.parse("2026-11-22T02:06:31Z");

    private TestServer server;
    private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void setUp() throws Exception {
        server = new TestServer().on(HOOK, 200, "ok").on("/down", 500, "boom");
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private static List<RunEvent> rollout() {
        Map<String, String> hosts = new LinkedHashMap<>();
        hosts.put("docker1", "ok");
        hosts.put("docker2", "rolled_back");
        return List.of(
                new RunEvent.RunStarted(ID, T, "userns-remap", "runbooks/userns-remap.yaml", "abc", List.of("docker1", "docker2"),
                        Map.of(), "alice", false),
                new RunEvent.StepFinished(ID, T, "docker2", "health", "ok", 0, 41, "200", Map.of(), false),
                new RunEvent.TriggerFired(ID, T, "docker2", "health-500", "rollback", "GET /health -> 500 <x>", Map.of("status", 500L),
                        false),
                new RunEvent.RollbackFinished(ID, T, "docker2", true, "restored"),
                new RunEvent.HostFinished(ID, T, "docker2", "rolled_back", "trigger fired"),
                new RunEvent.HostFinished(ID, T, "docker3", "unreachable", "ssh: connection timed out"),
                new RunEvent.RunFinished(ID, T, "rolled_back", 3, 1000, hosts, "host docker2 rolled back"));
    }

    private List<JsonNode> posted() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String s : server.seen) {
            out.add(new ObjectMapper().readTree(s.substring(s.indexOf(' ', 5) + 1)));
        }
        return out;
    }

    @Test
    void postsTheChosenEventsInOrderAsSlackJson() throws Exception {
        try (NotifySink sink = NotifySink.of(server.url(HOOK), EnumSet.complementOf(EnumSet.of(NotifySink.On.STARTED)), Duration.ofSeconds(5),
                warnings::add)) {
            rollout().forEach(sink::accept);
        }
        List<JsonNode> p = posted();
        assertEquals(4, p.size(), server.seen.toString());
        assertEquals("⚠ run " + ID + " (userns-remap): trigger *health-500* fired on docker2 → rollback\n```GET /health -> 500 <x>```",
                p.get(0).get("text").asText());
        assertEquals("↺ run " + ID + " (userns-remap): rollback on docker2 succeeded\nrestored", p.get(1).get("text").asText());
        assertEquals("⚡ run " + ID + " (userns-remap): host docker3 unreachable: ssh: connection timed out", p.get(2).get("text").asText());
        assertTrue(p.get(3).get("text").asText().startsWith("↺ run " + ID + " (userns-remap) finished: *rolled back*, exit 3 "
                + "(a host was rolled back (a trigger fired, or 'opsctl runs rollback') and the rollback succeeded)"), p.get(3).toString());
        assertEquals("*docker2*\n↺ rolled back", p.get(3).at("/blocks/1/fields/1/text").asText());
        assertEquals(List.of(), warnings);
    }

    @Test
    void onlyTheEventsAskedForArePosted() throws Exception {
        try (NotifySink sink = NotifySink.of(server.url(HOOK), EnumSet.of(NotifySink.On.FINISHED), Duration.ofSeconds(5),
                warnings::add)) {
            rollout().forEach(sink::accept);
        }
        assertEquals(1, posted().size());
    }

    @Test
    void failedPostsWarnWithoutTheUrl() {
        try (NotifySink sink = NotifySink.of(server.url("/down"), Set.of(NotifySink.On.FINISHED), Duration.ofSeconds(5),
                warnings::add)) {
            rollout().forEach(sink::accept);
        }
        assertEquals(List.of("notify: the webhook answered 500 (the run goes on; later failures of this webhook are not reported)"), warnings);
    }

    @Test
    void aWebhookThatIsDownIsReportedOnceNotAtEveryEvent() {
        try (NotifySink sink = NotifySink.of(server.url("/down"), NotifySink.On.all(), Duration.ofSeconds(5), warnings::add)) {
            rollout().forEach(sink::accept);
        }
        assertEquals(5, server.seen.size(), "every event was still tried");
        assertEquals(1, warnings.size(), warnings.toString());
    }

    @Test
    void badUrlIsRefusedWithoutRepeatingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NotifySink.of("hxxp://s3cretT0ken", NotifySink.On.all(), Duration.ofSeconds(1), warnings::add));
        assertEquals("--notify: the webhook is not an http or https URL", e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"));
    }

    @Test
    void eventNamesParse() {
        assertEquals(Optional.of(NotifySink.On.FAILED), NotifySink.On.parse("host-failed"));
        assertEquals(Optional.of(NotifySink.On.ROLLED_BACK), NotifySink.On.parse("rolled_back"));
        assertEquals(Optional.empty(), NotifySink.On.parse("host-fialed"));
        assertEquals(dev.opsctl.runbook.model.Notify.EVENTS, NotifySink.On.all().stream().map(NotifySink.On::label).toList(),
                "the runbook loader accepts exactly the events the sink posts");
    }

    @Test
    void theStartAndAHaltArePostedWhenAskedFor() throws Exception {
        List<RunEvent> run = List.of(
                new RunEvent.RunStarted(ID, T, "userns-remap", "runbooks/userns-remap.yaml", "abc", List.of("docker1"), Map.of(), "alice", false),
                new RunEvent.RunFinished(ID, T, "halted", 1, 1000, Map.of("docker1", "failed"), "1 host failed, more than max_failures (0)"));
        try (NotifySink sink = NotifySink.of(server.url(HOOK), EnumSet.of(NotifySink.On.STARTED, NotifySink.On.HALTED), Duration.ofSeconds(5),
                warnings::add)) {
            run.forEach(sink::accept);
        }
        List<JsonNode> p = posted();
        assertEquals("▶ run " + ID + " (userns-remap) started by alice on 1 host", p.get(0).get("text").asText());
        assertEquals("■ run " + ID + " (userns-remap) halted, exit 1\n1 host failed, more than max_failures (0)", p.get(1).get("text").asText());
    }

    @Test
    void haltedIsPostedWhenTheHaltHappensAndNotAgainAtTheEnd() throws Exception {
        try (NotifySink sink = NotifySink.of(server.url(HOOK), EnumSet.of(NotifySink.On.HALTED), Duration.ofSeconds(5), warnings::add)) {
            sink.accept(new RunEvent.RunStarted(ID, T, "userns-remap", "rb.yaml", "abc", List.of("docker1", "docker2"), Map.of(), "alice",
                    false));
            sink.accept(new RunEvent.RunHalted(ID, T, "not starting batch 2 after 1 failed host"));
            sink.accept(new RunEvent.HostFinished(ID, T, "docker2", "not_started", ""));
            sink.accept(new RunEvent.RunFinished(ID, T, "failed", 1, 1000, Map.of("docker1", "failed"), "host docker1 failed"));
        }
        List<JsonNode> p = posted();
        assertEquals(1, p.size(), server.seen.toString());
        assertTrue(p.get(0).get("text").asText().endsWith("run " + ID + " (userns-remap) halted: not starting batch 2 after 1 failed host"),
                p.get(0).toString());
    }
}
