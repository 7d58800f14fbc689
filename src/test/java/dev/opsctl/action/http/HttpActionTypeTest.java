package dev.opsctl.action.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.FakeStepContext;
import dev.opsctl.action.ParseFixture;
import dev.opsctl.action.StepResult;
import dev.opsctl.target.local.LocalTarget;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpActionTypeTest {
    @TempDir
    Path tmp;

    private final HttpActionType type = new HttpActionType();
    private TestServer server;
    private FakeStepContext ctx;
    private ParseFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        server = new TestServer()
                .on("/health", 200, "status: ok")
                .on("/broken", 500, "internal error")
                .on("/slow", x -> new TestServer.Answer(200, "late", 3000))
                .on("/auth", x -> new TestServer.Answer(
                        "Bearer tok-123456".equals(x.getRequestHeaders().getFirst("Authorization")) ? 200 : 401, "", 0))
                .on("/snapshot", 200, "{\"status\":\"success\",\"data\":{\"name\":\"20240101T000000Z-abc\",\"n\":3,\"x\":null},\"l\":[1.5,true]}")
                .on("/big", 200, "x".repeat(HttpProbe.MAX_BODY + 5000));
        ctx = new FakeStepContext(new LocalTarget("web-1"), tmp);
        fx = new ParseFixture(tmp);
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private StepResult run(String yaml) throws Exception {
        return type.execute(fx.parseClean(type, yaml), ctx);
    }

    @Test
    void aHealthyEndpointIsOkWithStatusBodyAndLatency() throws Exception {
        StepResult r = run("http: {url: '" + server.url("/health") + "', expect: {status: 200, body_contains: ok}}\n");
        assertEquals(StepResult.Outcome.OK, r.outcome(), r.message());
        assertEquals(200L, r.data().get("status"));
        assertEquals("status: ok", r.data().get("body"));
        assertTrue(r.data().get("latency_ms") instanceof Long);
        assertEquals("yes", ((Map<?, ?>) r.data().get("headers")).get("x-test"));
    }

    @Test
    void anUnexpectedStatusFailsNamingMethodUrlAndExpectation() throws Exception {
        StepResult r = run("http: {url: '" + server.url("/broken") + "', expect: {status: 200}}\n");
        assertEquals(StepResult.Outcome.FAILED, r.outcome());
        assertEquals("GET " + server.url("/broken") + " -> 500 (expected 200)", r.message());
    }

    @Test
    void anyTwoHundredPassesByDefaultAndListsAreAccepted() throws Exception {
        assertTrue(run("http: {url: '" + server.url("/health") + "'}\n").succeeded());
        StepResult r = run("http: {url: '" + server.url("/broken") + "', expect: {status: [200, 204]}}\n");
        assertTrue(r.message().endsWith("(expected 200 or 204)"), r.message());
    }

    @Test
    void bodyChecksAndLatencyLimitFail() throws Exception {
        assertTrue(run("http: {url: '" + server.url("/health") + "', expect: {body_contains: degraded}}\n").message()
                .contains("does not contain 'degraded'"));
        assertTrue(run("http: {url: '" + server.url("/health") + "', expect: {body_matches: 'status: (ok|up)'}}\n").succeeded());
        StepResult slow = run("http: {url: '" + server.url("/slow") + "', timeout: 10s, expect: {max_latency: 500ms}}\n");
        assertEquals(StepResult.Outcome.FAILED, slow.outcome());
        assertTrue(slow.message().contains("(expected at most 500ms)"), slow.message());
    }

    @Test
    void noAnswerWithinTheTimeoutIsTimedOut() throws Exception {
        StepResult r = run("http: {url: '" + server.url("/slow") + "', timeout: 300ms}\n");
        assertEquals(StepResult.Outcome.TIMED_OUT, r.outcome(), r.message());
    }

    @Test
    void aRefusedConnectionFails() throws Exception {
        String url = server.url("/health");
        server.close();
        StepResult r = run("http: {url: '" + url + "', timeout: 2s}\n");
        assertEquals(StepResult.Outcome.FAILED, r.outcome());
        assertTrue(r.message().contains("connection refused"), r.message());
    }

    @Test
    void headerSecretsAreSentButNeverShown() throws Exception {
        ctx.withSecret("token", "tok-123456");
        StepResult ok = run("http: {url: '" + server.url("/auth") + "', headers: {Authorization: 'Bearer {{ token }}'}}\n");
        assertEquals(200L, ok.data().get("status"), ok.message());
        ctx.set("token", "tok-wrong-value");
        StepResult denied = run("http: {url: '" + server.url("/auth") + "', headers: {Authorization: 'Bearer {{ token }}'}}\n");
        assertEquals(StepResult.Outcome.FAILED, denied.outcome());
        assertFalse(denied.message().contains("tok-"), denied.message());
        assertFalse(denied.data().toString().contains("tok-"), denied.data().toString());
    }

    @Test
    void sendsMethodAndBody() throws Exception {
        run("http: {url: '" + server.url("/health") + "', method: post, body: '{\"drain\": true}'}\n");
        assertEquals("POST /health {\"drain\": true}", server.seen.get(server.seen.size() - 1));
    }

    @Test
    void keepsAtMostOneMebibyteOfBody() throws Exception {
        StepResult r = run("http: {url: '" + server.url("/big") + "'}\n");
        assertEquals(HttpProbe.MAX_BODY, ((String) r.data().get("body")).length());
    }

    @Test
    void badExpectationsAreParseErrors() {
        fx.parse(type, "http:\n  url: http://x\n  expect: {status: 2000, body_matches: '(', max_latncy: 1s}\n");
        String out = fx.rendered();
        assertTrue(out.contains("must be HTTP status codes (100-599), not '2000'"), out);
        assertTrue(out.contains("'body_matches' is not a valid regular expression"), out);
        assertTrue(out.contains("unknown key 'max_latncy' in 'expect' in 'http'"), out);
        assertTrue(out.contains("did you mean 'max_latency'?"), out);
    }

    @Test
    void aJsonBodyIsParsedIntoTheJsonFieldForLaterSteps() throws Exception {
        StepResult r = run("http: {url: '" + server.url("/snapshot") + "', method: POST}\n");
        assertEquals(StepResult.Outcome.OK, r.outcome(), r.message());
        Map<?, ?> json = (Map<?, ?>) r.data().get("json");
        Map<?, ?> data = (Map<?, ?>) json.get("data");
        assertEquals("20240101T000000Z-abc", data.get("name"));
        assertEquals(3L, data.get("n"));
        assertEquals("", data.get("x"));
        assertEquals(java.util.List.of(1.5, true), json.get("l"));
    }

    @Test
    void aBodyThatIsNotJsonHasNoJsonField() throws Exception {
        StepResult r = run("http: {url: '" + server.url("/health") + "'}\n");
        assertFalse(r.data().containsKey("json"));
        StepResult big = run("http: {url: '" + server.url("/big") + "'}\n");
        assertFalse(big.data().containsKey("json"));
    }
}
