package dev.opsctl.target.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.source.Secret;
import dev.opsctl.target.TargetException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client against canned answers: requests it sends, errors it translates, secrets it keeps out of messages. */
class PrometheusClientTest {
    private static final String EMPTY = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}";
    private final CannedPrometheus server;

    PrometheusClientTest() throws Exception {
        server = new CannedPrometheus();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private PrometheusClient client(Optional<PrometheusAuth> auth, Duration timeout) {
        return new PrometheusClient(server.url(), auth, timeout);
    }

    @Test
    void postsTheQueryAsAFormWithTheTimeout() throws Exception {
        server.answer(200, EMPTY);
        client(Optional.empty(), Duration.ofSeconds(7)).query("sum(rate(http_requests_total{code=~\"5..\"}[5m]))");
        CannedPrometheus.Seen s = server.seen.get(0);
        assertEquals("POST", s.method());
        assertEquals("/api/v1/query", s.path());
        assertEquals("query=sum(rate(http_requests_total{code=~\"5..\"}[5m]))&timeout=7000ms", URLDecoder.decode(s.body(), StandardCharsets.UTF_8));
    }

    @Test
    void keepsAPathPrefix() throws Exception {
        server.answer(200, EMPTY);
        new PrometheusClient(URI.create(server.url() + "/prometheus/"), Optional.empty(), Duration.ofSeconds(2)).query("up");
        assertEquals("/prometheus/api/v1/query", server.seen.get(0).path());
    }

    @Test
    void sendsBasicAuthAndBearerTokens() throws Exception {
        server.answer(200, EMPTY);
        client(Optional.of(new PrometheusAuth.Basic("ops", new Secret("s3cret-pw"))), Duration.ofSeconds(2)).query("up");
        client(Optional.of(new PrometheusAuth.Bearer(new Secret("tok-123456"))), Duration.ofSeconds(2)).query("up");
        assertEquals("Basic b3BzOnMzY3JldC1wdw==", server.seen.get(0).authorization());
        assertEquals("Bearer tok-123456", server.seen.get(1).authorization());
        assertFalse(new PrometheusAuth.Basic("ops", new Secret("s3cret-pw")).toString().contains("s3cret"));
        assertFalse(new PrometheusAuth.Bearer(new Secret("tok-123456")).toString().contains("tok-"));
    }

    @Test
    void anUnauthorizedAnswerIsAuthFailedWithoutTheSecret() {
        server.answer(401, "Unauthorized");
        TargetException e = assertThrows(TargetException.class,
                () -> client(Optional.of(new PrometheusAuth.Bearer(new Secret("tok-123456"))), Duration.ofSeconds(2)).query("up"));
        assertEquals(TargetException.Kind.AUTH_FAILED, e.kind());
        assertEquals("prometheus '" + server.url() + "' refused the credentials (401): check 'basic_auth' or 'bearer_token'", e.getMessage());
    }

    @Test
    void anApiErrorIsRemoteFailedWithPrometheusText() {
        server.answer(400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:15: parse error: unclosed left parenthesis\"}");
        TargetException e = assertThrows(TargetException.class, () -> client(Optional.empty(), Duration.ofSeconds(2)).query("sum(up"));
        assertEquals(TargetException.Kind.REMOTE_FAILED, e.kind());
        assertEquals("prometheus '" + server.url() + "' answered 400 to the query: 1:15: parse error: unclosed left parenthesis", e.getMessage());
    }

    @Test
    void aQueryTimeoutInsidePrometheusIsATimeout() {
        server.answer(503, "{\"status\":\"error\",\"errorType\":\"timeout\",\"error\":\"query timed out in expression evaluation\"}");
        TargetException e = assertThrows(TargetException.class, () -> client(Optional.empty(), Duration.ofSeconds(3)).query("up"));
        assertEquals(TargetException.Kind.TIMEOUT, e.kind());
        assertEquals("prometheus '" + server.url() + "' did not answer within 3000ms", e.getMessage());
    }

    @Test
    void aProxyErrorPageIsRemoteFailedWithItsFirstLine() {
        server.answer(502, "<html>Bad Gateway</html>\n<body>...</body>");
        TargetException e = assertThrows(TargetException.class, () -> client(Optional.empty(), Duration.ofSeconds(2)).query("up"));
        assertEquals(TargetException.Kind.REMOTE_FAILED, e.kind());
        assertEquals("prometheus '" + server.url() + "' answered 502 to the query: <html>Bad Gateway</html>", e.getMessage());
    }

    @Test
    void aDisabledAdminApiSaysWhichFlagEnablesIt() {
        server.answer(503, "{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"admin APIs disabled\"}");
        TargetException e = assertThrows(TargetException.class, () -> client(Optional.empty(), Duration.ofSeconds(2)).snapshot());
        assertEquals("prometheus '" + server.url() + "' answered 503 to the snapshot request: admin APIs disabled (start Prometheus with --web.enable-admin-api)",
                e.getMessage());
        assertEquals("/api/v1/admin/tsdb/snapshot", server.seen.get(0).path());
    }

    @Test
    void aSlowServerIsATimeout() {
        // The bound only proves the client gave up before the server answered; it stays loose for busy CI machines.
        server.answer(200, EMPTY).delay(Duration.ofSeconds(8));
        long t0 = System.nanoTime();
        TargetException e = assertThrows(TargetException.class, () -> client(Optional.empty(), Duration.ofMillis(300)).query("up"));
        assertEquals(TargetException.Kind.TIMEOUT, e.kind());
        assertEquals("prometheus '" + server.url() + "' did not answer within 300ms", e.getMessage());
        assertTrue(System.nanoTime() - t0 < 6_000_000_000L, "waited for the server instead of timing out");
    }

    @Test
    void anAnswerThatIsNotTheApiIsRemoteFailed() {
        server.answer(200, "<html>login</html>");
        TargetException e = assertThrows(TargetException.class, () -> client(Optional.empty(), Duration.ofSeconds(2)).query("up"));
        assertEquals(TargetException.Kind.REMOTE_FAILED, e.kind());
        assertTrue(e.getMessage().startsWith("prometheus '" + server.url() + "' gave an answer to the query that is not Prometheus' API: not JSON"), e.getMessage());
    }

    @Test
    void readinessIsFalseWhileStarting() throws Exception {
        server.answer(503, "Service Unavailable");
        assertFalse(client(Optional.empty(), Duration.ofSeconds(2)).ready());
        server.answer(200, "Prometheus Server is Ready.");
        assertTrue(client(Optional.empty(), Duration.ofSeconds(2)).ready());
        assertEquals("/-/ready", server.seen.get(0).path());
    }

    @Test
    void refusesUrlsWithCredentialsOrWithoutHttp() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PrometheusClient(URI.create("http://ops:pw1234@prom:9090"), Optional.empty(), Duration.ofSeconds(1)));
        assertEquals("'http://prom:9090' has credentials in it; give them as basic auth instead", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PrometheusClient(URI.create("ftp://prom"), Optional.empty(), Duration.ofSeconds(1)));
    }
}
