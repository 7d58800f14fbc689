package dev.opsctl.action.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.ActionRegistry;
import dev.opsctl.action.FakeStepContext;
import dev.opsctl.action.ParseFixture;
import dev.opsctl.action.StepResult;
import dev.opsctl.action.http.TestServer;
import dev.opsctl.runbook.load.Checklists;
import dev.opsctl.runbook.load.LoadResult;
import dev.opsctl.runbook.load.RunbookLoader;
import dev.opsctl.target.local.LocalTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing, and execution against canned Prometheus answers (the real server is in PrometheusActionIT). */
class PrometheusActionTypeTest {
    private static final String EMPTY = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}";

    @TempDir
    Path tmp;

    private final PrometheusActionType type = new PrometheusActionType();
    private ParseFixture fx;
    private FakeStepContext ctx;

    @BeforeEach
    void setUp() {
        fx = new ParseFixture(tmp);
        ctx = new FakeStepContext(new LocalTarget("web-1"), tmp);
    }

    @Test
    void parsesEveryKey() {
        PrometheusSpec spec = fx.parseClean(type, """
                prometheus:
                  url: http://prom:9090
                  query: 'sum(rate(x{code=~"5.."}[5m]))'
                  expect: value < 0.05
                  timeout: 3s
                  aggregate: sum
                  on_empty: fail
                  basic_auth: {username: ops, password: "{{ prom_pw }}"}
                """);
        assertEquals(new PrometheusSpec("http://prom:9090", "sum(rate(x{code=~\"5..\"}[5m]))", Optional.of("value < 0.05"),
                Duration.ofSeconds(3), PrometheusSpec.Aggregate.SUM, PrometheusSpec.OnEmpty.FAIL,
                Optional.of(new PrometheusSpec.BasicAuth("ops", "{{ prom_pw }}")), Optional.empty()), spec);
        assertFalse(spec.toString().contains("prom_pw"), spec.toString());
    }

    @Test
    void defaultsToMaxNanTenSecondsAndThePrometheusUrlVariable() {
        PrometheusSpec spec = fx.parseClean(type, "prometheus: {query: up}\n");
        assertEquals(PrometheusParser.DEFAULT_URL, spec.url());
        assertEquals(Duration.ofSeconds(10), spec.timeout());
        assertEquals(PrometheusSpec.Aggregate.MAX, spec.aggregate());
        assertEquals(PrometheusSpec.OnEmpty.NAN, spec.onEmpty());
        assertEquals("up", fx.parseClean(type, "prometheus: up\n").query());
    }

    @Test
    void reportsBadValuesWithPositionsAndHints() {
        fx.parse(type, """
                prometheus:
                  url: ftp://prom
                  query: ' '
                  aggregate: maxx
                  on_empty: never
                  timeout: 0s
                  bearer_token: x
                  basic_auth: {username: u, password: p}
                  querry: up
                """);
        String out = fx.rendered();
        assertTrue(out.contains("step.yaml:2:8: error: 'url' in 'prometheus' must be an http or https URL, not 'ftp://prom'"), out);
        assertTrue(out.contains("step.yaml:3:10: error: 'query' in 'prometheus' is empty"), out);
        assertTrue(out.contains("'aggregate' in 'prometheus' must be one of max, min, sum, first, not 'maxx'"), out);
        assertTrue(out.contains("hint: did you mean 'max'?"), out);
        assertTrue(out.contains("'on_empty' in 'prometheus' must be one of fail, zero, nan, not 'never'"), out);
        assertTrue(out.contains("'timeout' in 'prometheus' must be longer than 0s"), out);
        assertTrue(out.contains("'prometheus' takes 'basic_auth' or 'bearer_token', not both"), out);
        assertTrue(out.contains("unknown key 'querry' in 'prometheus'"), out);
    }

    @Test
    void needsAQueryAndRefusesCredentialsInTheUrl() {
        assertEquals(Optional.empty(), fx.parse(type, "prometheus: {url: 'http://ops:pw@prom:9090'}\n"));
        String out = fx.rendered();
        assertTrue(out.contains("missing required key 'query' in 'prometheus'"), out);
        assertTrue(out.contains("'url' in 'prometheus' must not hold credentials"), out);
    }

    @Test
    void theLoaderChecksExpectAndProbeConditionsAgainstTheResultFields() {
        RunbookLoader loader = new RunbookLoader(ActionRegistry.standard(), Checklists.of(List.of()));
        String head = "apiVersion: opsctl/v1\nkind: Runbook\nmetadata: {name: t}\nparams: {prometheus_url: {type: string, default: 'http://p:9090'}}\n";
        LoadResult good = loader.load("t.yaml", head + """
                triggers:
                  - name: start-latency
                    probe: {prometheus: {query: 'max(container_start_p95_seconds)'}}
                    when: value > 30 and count > 0
                    for: 5m
                    then: rollback
                steps:
                  - id: error-rate
                    prometheus: {query: 'sum(rate(x[5m]))', expect: 'value < 0.05'}
                """, tmp);
        assertTrue(good.ok(), good.problems().render());
        LoadResult bad = loader.load("t.yaml", head + """
                steps:
                  - id: error-rate
                    prometheus: {query: up, expect: 'valeu < 0.05'}
                """, tmp);
        assertTrue(bad.problems().render().contains("valeu"), bad.problems().render());
    }

    @Test
    void rendersUrlQueryAndTokenAndNeverShowsTheToken() throws Exception {
        try (TestServer server = new TestServer()) {
            server.on("/api/v1/query", x -> new TestServer.Answer(
                    "Bearer tok-123456".equals(x.getRequestHeaders().getFirst("Authorization")) ? 200 : 401, EMPTY, 0));
            ctx.set("prom", server.url("")).set("job", "web").withSecret("token", "tok-123456");
            StepResult ok = type.execute(fx.parseClean(type,
                    "prometheus: {url: '{{ prom }}', query: 'up{job=\"{{ job }}\"}', bearer_token: '{{ token }}', on_empty: zero}\n"), ctx);
            assertEquals(StepResult.Outcome.OK, ok.outcome(), ok.message());
            assertTrue(server.seen.get(0).contains("query=up%7Bjob%3D%22web%22%7D"), server.seen.toString());
            assertEquals("up{job=\"web\"}", ok.data().get("query"));

            ctx.withSecret("wrong", "tok-wrong-999");
            StepResult refused = type.execute(fx.parseClean(type, "prometheus: {url: '{{ prom }}', query: up, bearer_token: '{{ wrong }}'}\n"), ctx);
            assertEquals(StepResult.Outcome.FAILED, refused.outcome());
            assertEquals("prometheus '" + server.url("") + "' refused the credentials (401): check 'basic_auth' or 'bearer_token'", refused.message());
            assertFalse(refused.toString().contains("tok-"), refused.toString());
        }
    }

    @Test
    void aMissingPrometheusUrlSaysWhereToGiveOne() throws Exception {
        StepResult r = type.execute(fx.parseClean(type, "prometheus: {query: up}\n"), ctx);
        assertEquals(StepResult.Outcome.FAILED, r.outcome());
        assertTrue(r.message().startsWith("cannot render the prometheus query: "), r.message());
        assertTrue(r.message().endsWith("(give the step a 'url' or the run a 'prometheus_url' variable)"), r.message());
    }

    @Test
    void aSlowPrometheusTimesTheStepOutWithinTheStepTimeout() throws Exception {
        try (TestServer server = new TestServer()) {
            server.on("/api/v1/query", x -> new TestServer.Answer(200, EMPTY, 3000));
            ctx.withTimeout(Duration.ofMillis(300));
            long t0 = System.nanoTime();
            StepResult r = type.execute(fx.parseClean(type, "prometheus: {url: '" + server.url("") + "', query: up}\n"), ctx);
            assertEquals(StepResult.Outcome.TIMED_OUT, r.outcome(), r.message());
            assertEquals("prometheus '" + server.url("") + "' did not answer within 300ms", r.message());
            assertTrue(System.nanoTime() - t0 < 2_000_000_000L);
        }
    }

    @Test
    void describesItselfForPlans() {
        PrometheusSpec spec = fx.parseClean(type, "prometheus: {url: 'http://p:9090', query: 'max(x)', expect: 'value < 1'}\n");
        assertEquals("prometheus 'max(x)' expect value < 1", type.summary(spec));
        assertEquals(Optional.of(PrometheusActionType.FIELDS), type.resultFields());
    }
}
