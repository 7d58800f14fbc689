package dev.opsctl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opsctl.action.ActionRegistry;
import dev.opsctl.action.http.TestServer;
import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.fakes.RecordingSink;
import dev.opsctl.event.RunEvent;
import dev.opsctl.runbook.load.Checklists;
import dev.opsctl.runbook.load.LoadResult;
import dev.opsctl.runbook.load.RunbookLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run events to webhooks ({@code --notify URL} and a runbook's {@code notify:} block) through the
 * standard wiring, on the local target, against the JDK HTTP server on loopback: what is posted,
 * the {@code on} filter, the secret URL kept out of events and journal, and a failing webhook that
 * does not fail the run.
 */
class RunNotifyTest {
    private static final String SECRET_PATH = "/hooks/T0KEN-s3cret-9f8e";

    @TempDir
    Path tmp;

    private TestServer server;

    @BeforeEach
    void setUp() throws Exception {
        server = new TestServer().on(SECRET_PATH, 200, "ok").on("/down", 500, "boom");
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private Path runbook(String notify, String step) throws Exception {
        return Files.writeString(tmp.resolve("rb.yaml"), """
                apiVersion: opsctl/v1
                kind: Runbook
                metadata: {name: notified}
                params:
                  webhook: {type: secret, default: ""}
                %s
                steps:
                  - id: work
                    shell: %s
                """.formatted(notify, step));
    }

    private record Outcome(int code, RecordingSink events, String journal) {
        String describe() {
            return events.all().stream().map(Object::toString).collect(Collectors.joining("\n"));
        }

        List<String> warnings() {
            return events.of(RunEvent.Notice.class).stream().filter(n -> n.level().equals("warning")).map(RunEvent.Notice::message).toList();
        }
    }

    private Outcome run(Path rb, List<String> vars, List<String> notify) throws Exception {
        Path state = tmp.resolve("state-" + System.nanoTime());
        Env env = Env.from(Map.of("USER", "ops", "HOME", state.toString()), Optional.of(state), Optional.empty(), false,
                Clock.systemDefaultZone());
        RecordingSink events = new RecordingSink();
        int code = Services.standard(env, Prompter.NON_INTERACTIVE).runs()
                .run(RunRequest.of(rb).withExtraVars(vars).withNotify(notify), events);
        String journal = "";
        try (Stream<Path> files = Files.walk(state)) {
            for (Path j : files.filter(p -> p.getFileName().toString().equals("journal.jsonl")).toList()) {
                journal += Files.readString(j);
            }
        }
        return new Outcome(code, events, journal);
    }

    private List<String> postedTexts(String path) throws Exception {
        List<String> out = new ArrayList<>();
        for (String s : server.seen) {
            if (s.startsWith("POST " + path + " ")) {
                out.add(new ObjectMapper().readTree(s.substring(("POST " + path + " ").length())).get("text").asText());
            }
        }
        return out;
    }

    @Test
    void theRunbooksNotifyBlockPostsOnlyTheEventsItNamesAndNeverShowsTheSecretUrl() throws Exception {
        Path rb = runbook("notify: {url: \"{{ webhook }}\", on: [failed, finished]}", "\"echo working; exit 3\"");
        Outcome r = run(rb, List.of("webhook=" + server.url(SECRET_PATH)), List.of());
        assertEquals(ExitCodes.FAILED, r.code(), r.describe());

        List<String> texts = postedTexts(SECRET_PATH);
        assertEquals(2, texts.size(), texts.toString());
        assertTrue(texts.get(0).contains(": host localhost failed"), texts.get(0));
        assertTrue(texts.get(1).contains("(notified) finished: *failed*, exit 1"), texts.get(1));
        assertFalse(texts.stream().anyMatch(t -> t.contains("started")), "'started' was not asked for");
        assertFalse(r.describe().contains("T0KEN-s3cret"), "the webhook in an event");
        assertFalse(r.journal().isEmpty());
        assertFalse(r.journal().contains("T0KEN-s3cret"), "the webhook in the journal");
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void notifyPostsEveryEventOfTheRunFromStartToFinish() throws Exception {
        Path rb = runbook("", "\"true\"");
        Outcome r = run(rb, List.of(), List.of(server.url(SECRET_PATH)));
        assertEquals(ExitCodes.OK, r.code(), r.describe());
        List<String> texts = postedTexts(SECRET_PATH);
        assertEquals(2, texts.size(), texts.toString());
        assertTrue(texts.get(0).startsWith("▶ run ") && texts.get(0).endsWith("(notified) started by ops on 1 host"), texts.get(0));
        assertTrue(texts.get(1).contains("finished: *ok*, exit 0"), texts.get(1));
        assertFalse(r.journal().contains("T0KEN-s3cret"));
    }

    @Test
    void aFailingWebhookNeverFailsTheRunAndIsWarnedAboutOnceInTheJournal() throws Exception {
        Path rb = runbook("", "\"true\"");
        Outcome r = run(rb, List.of(), List.of(server.url("/down"), server.url(SECRET_PATH)));
        assertEquals(ExitCodes.OK, r.code(), r.describe());
        assertEquals(2, server.seen.stream().filter(s -> s.startsWith("POST /down ")).count(), "both events were tried");
        assertEquals(List.of("notify: the webhook answered 500 (the run goes on; later failures of this webhook are not reported) [--notify]"),
                r.warnings());
        assertTrue(r.journal().contains("notify: the webhook answered 500"), r.journal());
        assertEquals(2, postedTexts(SECRET_PATH).size(), "the other webhook got every event");
    }

    @Test
    void aUrlThatIsNotHttpIsAUsageErrorBeforeTheRunStarts() throws Exception {
        Path rb = runbook("", "\"touch " + tmp.resolve("ran") + "\"");
        OpsctlException e = assertThrows(OpsctlException.class, () -> run(rb, List.of(), List.of("ftp://T0KEN-s3cret")));
        assertEquals(ExitCodes.USAGE, e.exitCode());
        assertEquals("--notify: the webhook is not an http or https URL", e.getMessage());
        assertFalse(Files.exists(tmp.resolve("ran")));
    }

    @Test
    void aMisspelledNotifyEventIsALoadErrorWithItsPosition() throws Exception {
        Path rb = runbook("notify:\n  url: \"{{ webhook }}\"\n  on: [failed, rolledback]\n  retries: 3", "\"true\"");
        LoadResult r = new RunbookLoader(ActionRegistry.standard(), Checklists.of(List.of())).load(rb);
        String text = r.problems().render();
        assertTrue(text.contains("rb.yaml:8:16: error: unknown notify event 'rolledback'"), text);
        assertTrue(text.contains("hint: did you mean 'rolled_back'?"), text);
        assertTrue(text.contains("rb.yaml:9:3: error: unknown key 'retries'"), text);
    }

    @Test
    void aResumedRunPostsToTheRunbooksWebhookAgainAndToTheNotifyUrlsGivenAgainButTheJournalKeepsNoUrl() throws Exception {
        Path flag = tmp.resolve("second-time");
        Path rb = runbook("notify: {url: \"{{ webhook }}\", on: [started, finished]}",
                "\"test -f " + flag + " || { touch " + flag + "; exit 3; }\"");
        Path state = tmp.resolve("state-resume");
        Env env = Env.from(Map.of("USER", "ops", "HOME", state.toString()), Optional.of(state), Optional.empty(), false,
                Clock.systemDefaultZone());
        Services services = Services.standard(env, Prompter.NON_INTERACTIVE);
        String hook = "webhook=" + server.url(SECRET_PATH);
        RecordingSink first = new RecordingSink();
        assertEquals(ExitCodes.FAILED, services.runs().run(RunRequest.of(rb).withExtraVars(List.of(hook))
                .withNotify(List.of(server.url("/cli-hook"))), first));
        String runId = first.of(RunEvent.RunStarted.class).get(0).runId();
        server.seen.clear();

        RecordingSink without = new RecordingSink();
        services.history().resume(ResumeRequest.of(runId).withExtraVars(List.of(hook)), without);
        assertTrue(without.of(RunEvent.Notice.class).stream().anyMatch(n -> n.level().equals("warning")
                && n.message().contains("was started with 1 --notify webhook, 0 given now")
                && n.message().contains("'opsctl runs resume " + runId + " --notify URL'")), without.all().toString());
        List<String> texts = postedTexts(SECRET_PATH);
        assertEquals(2, texts.size(), "the runbook's notify: block applies again: " + texts);
        assertTrue(texts.get(0).endsWith("started by ops on 1 host (resumed)"), texts.get(0));
        assertTrue(texts.get(1).contains("finished: *ok*"), texts.get(1));
        assertEquals(List.of(), postedTexts("/cli-hook"), "a --notify URL is not remembered");

        String journal;
        try (Stream<Path> files = Files.walk(state)) {
            journal = files.filter(p -> p.getFileName().toString().equals("journal.jsonl")).map(p -> {
                try {
                    return Files.readString(p);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).collect(Collectors.joining());
        }
        assertFalse(journal.contains("cli-hook") || journal.contains("T0KEN-s3cret"), "no webhook URL in the journal");
        assertTrue(journal.contains("\"notifyWebhooks\":1"), "only how many --notify webhooks the run had");
    }

    @Test
    void notifyGivenAgainOnResumePostsTheResumedRunsEvents() throws Exception {
        Path flag = tmp.resolve("again");
        Path rb = runbook("", "\"test -f " + flag + " || { touch " + flag + "; exit 3; }\"");
        Path state = tmp.resolve("state-again");
        Env env = Env.from(Map.of("USER", "ops", "HOME", state.toString()), Optional.of(state), Optional.empty(), false,
                Clock.systemDefaultZone());
        Services services = Services.standard(env, Prompter.NON_INTERACTIVE);
        RecordingSink first = new RecordingSink();
        services.runs().run(RunRequest.of(rb).withNotify(List.of(server.url(SECRET_PATH))), first);
        String runId = first.of(RunEvent.RunStarted.class).get(0).runId();
        server.seen.clear();
        RecordingSink resumed = new RecordingSink();
        assertEquals(ExitCodes.OK, services.history().resume(ResumeRequest.of(runId).withExtraVars(List.of("webhook="))
                .withNotify(List.of(server.url(SECRET_PATH))), resumed));
        List<String> texts = postedTexts(SECRET_PATH);
        assertTrue(texts.get(0).endsWith("(resumed)"), texts.toString());
        assertTrue(texts.get(texts.size() - 1).contains("finished: *ok*"), texts.toString());
        assertTrue(resumed.of(RunEvent.Notice.class).stream().noneMatch(n -> n.message().contains("--notify webhook")), resumed.all().toString());
    }
}
