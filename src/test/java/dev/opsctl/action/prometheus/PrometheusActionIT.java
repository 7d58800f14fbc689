package dev.opsctl.action.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.FakeStepContext;
import dev.opsctl.action.ParseFixture;
import dev.opsctl.action.StepResult;
import dev.opsctl.target.local.LocalTarget;
import dev.opsctl.testsupport.PrometheusServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The prometheus step type against a real Prometheus scraping a test exporter. */
class PrometheusActionIT {
    @RegisterExtension
    static final PrometheusServer prometheus = new PrometheusServer();

    @TempDir
    Path tmp;

    private final PrometheusActionType type = new PrometheusActionType();
    private FakeStepContext ctx;
    private ParseFixture fx;

    @BeforeEach
    void setUp() {
        ctx = new FakeStepContext(new LocalTarget("web-1"), tmp);
        ctx.set("prometheus_url", prometheus.url().toString());
        fx = new ParseFixture(tmp);
    }

    private StepResult run(String body) throws InterruptedException {
        return type.execute(fx.parseClean(type, "prometheus: " + body + "\n"), ctx);
    }

    @Test
    void readsTheValueTheExporterShowsOnceScraped() throws Exception {
        prometheus.exporter().setGauge("container_start_p95_seconds", 12);
        prometheus.awaitValue("container_start_p95_seconds", v -> v == 12);
        StepResult low = run("{query: container_start_p95_seconds, expect: 'value <= 30'}");
        assertEquals(StepResult.Outcome.OK, low.outcome(), low.message());
        assertEquals(12.0, low.data().get("value"));

        prometheus.exporter().setGauge("container_start_p95_seconds", 35);
        prometheus.awaitValue("container_start_p95_seconds", v -> v == 35);
        StepResult high = run("{query: container_start_p95_seconds, expect: 'value <= 30'}");
        assertEquals(StepResult.Outcome.FAILED, high.outcome());
        assertEquals("prometheus value 35 for 'container_start_p95_seconds' (expected value <= 30)", high.message());
    }

    @Test
    void anErrorRateFromAdvancingCountersPassesOrFailsTheThreshold() throws Exception {
        String q = "sum(rate(it_http_requests_total{code=~\"5..\"}[5s])) / sum(rate(it_http_requests_total[5s]))";
        prometheus.exporter().setCounterRate("it_http_requests_total", Map.of("code", "200"), 99)
                .setCounterRate("it_http_requests_total", Map.of("code", "500"), 1);
        prometheus.awaitValue(q, v -> v > 0.005 && v < 0.02);
        StepResult ok = run("{query: '" + q + "', expect: 'value < 0.05'}");
        assertEquals(StepResult.Outcome.OK, ok.outcome(), ok.message());

        prometheus.exporter().setCounterRate("it_http_requests_total", Map.of("code", "200"), 80)
                .setCounterRate("it_http_requests_total", Map.of("code", "500"), 20);
        prometheus.awaitValue(q, v -> v > 0.15);
        StepResult bad = run("{query: '" + q + "', expect: 'value < 0.05'}");
        assertEquals(StepResult.Outcome.FAILED, bad.outcome(), bad.message());
        assertTrue(bad.message().startsWith("prometheus value 0."), bad.message());
        assertTrue(bad.message().endsWith(" for '" + q + "' (expected value < 0.05)"), bad.message());
    }

    @Test
    void aggregatesSeveralSeries() throws Exception {
        prometheus.exporter().setGauge("it_queue_depth", Map.of("queue", "a"), 3)
                .setGauge("it_queue_depth", Map.of("queue", "b"), 9)
                .setGauge("it_queue_depth", Map.of("queue", "c"), 5);
        prometheus.awaitValue("count(it_queue_depth)", v -> v == 3);
        assertEquals(9.0, run("{query: it_queue_depth}").data().get("value"));
        assertEquals(3.0, run("{query: it_queue_depth, aggregate: min}").data().get("value"));
        assertEquals(17.0, run("{query: it_queue_depth, aggregate: sum}").data().get("value"));
        StepResult first = run("{query: it_queue_depth, aggregate: first}");
        assertEquals(3.0, first.data().get("value"));
        assertEquals(3L, first.data().get("count"));
        List<?> series = (List<?>) first.data().get("series");
        assertEquals("a", ((Map<?, ?>) ((Map<?, ?>) series.get(0)).get("labels")).get("queue"));
        assertEquals("prometheus value 3 for 'it_queue_depth' (first of 3 series)", first.message());
    }

    @Test
    void anEmptyResultFollowsOnEmpty() throws Exception {
        StepResult nan = run("{query: 'it_never_exported', expect: 'value > 30'}");
        assertEquals(StepResult.Outcome.FAILED, nan.outcome());
        assertTrue(Double.isNaN((Double) nan.data().get("value")));
        assertEquals(StepResult.Outcome.OK, run("{query: 'it_never_exported', on_empty: zero, expect: 'value == 0'}").outcome());
        StepResult fail = run("{query: 'it_never_exported', on_empty: fail}");
        assertEquals("prometheus query 'it_never_exported' returned no series (on_empty: fail)", fail.message());
    }

    @Test
    void aSyntaxErrorFailsWithPrometheusOwnText() throws Exception {
        StepResult r = run("{query: 'sum(rate(x[5m])'}");
        assertEquals(StepResult.Outcome.FAILED, r.outcome());
        assertTrue(r.message().startsWith("prometheus '" + prometheus.url() + "' answered 400 to the query: "), r.message());
        assertTrue(r.message().contains("parse error"), r.message());
    }

    @Test
    void aRangeSelectorFailsWithAHint() throws Exception {
        StepResult r = run("{query: 'up[1m]'}");
        assertEquals(StepResult.Outcome.FAILED, r.outcome());
        assertTrue(r.message().contains("returns a range vector"), r.message());
    }

    @Test
    void aPrometheusThatIsDownFailsTheStepSayingUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        StepResult r = run("{url: 'http://127.0.0.1:" + port + "', query: up, timeout: 2s}");
        assertEquals(StepResult.Outcome.FAILED, r.outcome());
        assertEquals("prometheus 'http://127.0.0.1:" + port + "' is unreachable: connection refused", r.message());
        assertTrue(r.elapsed().compareTo(Duration.ofSeconds(2)) < 0);
    }

    @Test
    void rendersTemplatesInUrlAndQuery() throws Exception {
        prometheus.exporter().setGauge("it_templated", Map.of("host", "web-1"), 4).setGauge("it_templated", Map.of("host", "web-2"), 8);
        prometheus.awaitValue("count(it_templated)", v -> v == 2);
        ctx.set("prom", prometheus.url().toString());
        StepResult r = run("{url: '{{ prom }}', query: 'it_templated', expect: 'value == 8 and count == 2'}");
        assertEquals(StepResult.Outcome.OK, r.outcome(), r.message());
        ctx.set("target_host", "web-1");
        StepResult t = run("{query: 'it_templated{host=\"{{ target_host }}\"}', expect: 'value == 4'}");
        assertEquals(StepResult.Outcome.OK, t.outcome(), t.message());
        assertEquals("it_templated{host=\"web-1\"}", t.data().get("query"));
    }
}
