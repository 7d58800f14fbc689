package dev.opsctl.action.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opsctl.action.FakeStepContext;
import dev.opsctl.action.ParseFixture;
import dev.opsctl.action.StepResult;
import dev.opsctl.action.http.TestServer;
import dev.opsctl.target.local.LocalTarget;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotifyActionTypeTest {
    private static final String HOOK = "/services/T0ABC/B0DEF/s3cretT0kenXYZ";

    @TempDir
    Path tmp;

    private final NotifyActionType type = new NotifyActionType();
    private TestServer server;
    private FakeStepContext ctx;
    private ParseFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        server = new TestServer()
                .on(HOOK, 200, "ok")
                .on("/down", 500, "boom")
                .on("/slow", x -> new TestServer.Answer(200, "late", 3000));
        ctx = new FakeStepContext(new LocalTarget("docker2"), tmp);
        ctx.set("host", java.util.Map.of("name", "docker2"));
        fx = new ParseFixture(tmp);
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private StepResult run(String url, String extra) throws Exception {
        ctx.withSecret("slack_webhook", url);
        return type.execute(fx.parseClean(type, "notify: {webhook: '{{ slack_webhook }}', text: 'docker restarted on {{ host.name }}'"
                + extra + "}\n"), ctx);
    }

    private void assertNoUrl(StepResult r, String url) {
        String all = r.message() + r.data() + r.stdout() + r.stderr();
        assertFalse(all.contains(url), all);
        assertFalse(all.contains("s3cretT0ken"), all);
        assertFalse(all.contains(String.valueOf(java.net.URI.create(url).getPort())), "not even the port: " + all);
    }

    @Test
    void postsSlackJsonWithTextChannelUsernameAndFieldBlocks() throws Exception {
        StepResult r = run(server.url(HOOK), ", channel: '#ops', username: opsctl, fields: {host: '{{ host.name }}', step: restart}");
        assertEquals(StepResult.Outcome.OK, r.outcome(), r.message());
        assertEquals(200L, r.data().get("status"));
        assertEquals(true, r.data().get("delivered"));
        assertTrue(r.message().startsWith("posted to the webhook: 200 in "), r.message());
        assertNoUrl(r, server.url(HOOK));
        assertEquals(1, server.seen.size());
        String seen = server.seen.get(0);
        assertTrue(seen.startsWith("POST " + HOOK + " "), seen);
        JsonNode json = new ObjectMapper().readTree(seen.substring(("POST " + HOOK + " ").length()));
        assertEquals("docker restarted on docker2", json.get("text").asText());
        assertEquals("#ops", json.get("channel").asText());
        assertEquals("opsctl", json.get("username").asText());
        assertEquals("*host*\ndocker2", json.at("/blocks/1/fields/0/text").asText());
        assertEquals("*step*\nrestart", json.at("/blocks/1/fields/1/text").asText());
    }

    @Test
    void serverErrorIsReportedButDoesNotFailTheStepByDefault() throws Exception {
        StepResult r = run(server.url("/down"), "");
        assertEquals(StepResult.Outcome.OK, r.outcome());
        assertEquals("not delivered (fail_on_error is false): the webhook answered 500", r.message());
        assertEquals(false, r.data().get("delivered"));
    }

    @Test
    void failOnErrorFailsTheStepWithoutNamingTheUrl() throws Exception {
        StepResult r = run(server.url("/down"), ", fail_on_error: true");
        assertEquals(StepResult.Outcome.FAILED, r.outcome());
        assertEquals("the webhook answered 500", r.message());
        assertNoUrl(r, server.url("/down"));
    }

    @Test
    void unreachableAndSlowWebhooksNeverNameTheUrl() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String refused = "http://127.0.0.1:" + closed + HOOK;
        StepResult r = run(refused, ", fail_on_error: true");
        assertEquals(StepResult.Outcome.FAILED, r.outcome());
        assertEquals("cannot connect to the webhook (connection refused or host down)", r.message());
        assertNoUrl(r, refused);

        StepResult slow = run(server.url("/slow"), ", timeout: 300ms, fail_on_error: true");
        assertEquals(StepResult.Outcome.TIMED_OUT, slow.outcome());
        assertEquals("the webhook did not answer within 300ms", slow.message());
        assertNoUrl(slow, server.url("/slow"));
    }

    @Test
    void renderedWebhookThatIsNotAUrlIsRefusedWithoutQuotingIt() throws Exception {
        StepResult r = run("ftp://files.example/s3cretT0ken", ", fail_on_error: true");
        assertEquals("the webhook is not an http or https URL", r.message());
    }

    @Test
    void literalNonUrlAndUnknownKeysAreLoadErrors() {
        fx.parse(type, "notify: {webhook: 'not a url', text: hi, chanel: '#ops'}\n");
        String problems = fx.rendered();
        assertTrue(problems.contains("'webhook' in 'notify' is not an http or https URL"), problems);
        assertTrue(problems.contains("unknown key 'chanel' in 'notify'"), problems);
        assertTrue(problems.contains("did you mean 'channel'?"), problems);
    }

    @Test
    void textIsRequired() {
        fx.parse(type, "notify: {webhook: '{{ slack_webhook }}'}\n");
        assertTrue(fx.rendered().contains("missing required key 'text' in 'notify'"), fx.rendered());
    }
}
