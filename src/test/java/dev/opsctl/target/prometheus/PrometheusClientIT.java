package dev.opsctl.target.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.TargetException;
import dev.opsctl.testsupport.PrometheusServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PrometheusClientIT {
    @RegisterExtension
    static final PrometheusServer prometheus = new PrometheusServer().withDownTarget();

    @Test
    void startsQuicklyAndIsReady() throws Exception {
        assertTrue(prometheus.client().ready());
        assertTrue(prometheus.startupTime().compareTo(Duration.ofSeconds(20)) < 0, "startup took " + prometheus.startupTime());
    }

    @Test
    void seesAGaugeChangeWithinTwoScrapeIntervals() throws Exception {
        prometheus.exporter().setGauge("client_it_gauge", 1);
        prometheus.awaitValue("client_it_gauge", v -> v == 1);
        long t0 = System.nanoTime();
        prometheus.exporter().setGauge("client_it_gauge", 35);
        Sample s = prometheus.awaitValue("client_it_gauge", v -> v == 35);
        Duration seen = Duration.ofNanos(System.nanoTime() - t0);
        assertEquals(Map.of("__name__", "client_it_gauge", "instance", prometheus.exporter().address(), "job", "test"), s.labels());
        assertTrue(seen.compareTo(Duration.ofMillis(2500)) < 0, "seen after " + seen.toMillis() + "ms");
    }

    @Test
    void readsNaNAndInfinitiesAsDoubles() throws Exception {
        prometheus.exporter().setGauge("client_it_special", Map.of("k", "nan"), Double.NaN)
                .setGauge("client_it_special", Map.of("k", "pinf"), Double.POSITIVE_INFINITY)
                .setGauge("client_it_special", Map.of("k", "ninf"), Double.NEGATIVE_INFINITY);
        prometheus.exporter().awaitScrapes(2, Duration.ofSeconds(10));
        QueryResult r = prometheus.client().query("client_it_special");
        assertEquals(QueryResult.Type.VECTOR, r.type());
        assertEquals(3, r.samples().size(), r.toString());
        for (Sample s : r.samples()) {
            double expected = switch (s.labels().get("k")) {
                case "nan" -> Double.NaN;
                case "pinf" -> Double.POSITIVE_INFINITY;
                default -> Double.NEGATIVE_INFINITY;
            };
            assertEquals(expected, s.value(), s.toString());
        }
    }

    @Test
    void readsAScalar() throws Exception {
        QueryResult r = prometheus.client().query("scalar(vector(0.25))");
        assertEquals(QueryResult.Type.SCALAR, r.type());
        assertEquals(0.25, r.samples().get(0).value());
        assertEquals(Map.of(), r.samples().get(0).labels());
    }

    @Test
    void readsARangeVectorAndARangeQuery() throws Exception {
        prometheus.exporter().setCounterRate("client_it_requests_total", Map.of("code", "500"), 10);
        prometheus.exporter().awaitScrapes(3, Duration.ofSeconds(10));
        QueryResult r = prometheus.client().query("client_it_requests_total[10s]");
        assertEquals(QueryResult.Type.MATRIX, r.type());
        assertTrue(r.series().get(0).points().size() >= 2, r.toString());
        Instant now = Instant.now();
        List<RangeSeries> range = prometheus.client().queryRange("client_it_requests_total", now.minusSeconds(5), now, Duration.ofSeconds(1));
        assertEquals(1, range.size());
        List<RangeSeries.Point> points = range.get(0).points();
        assertTrue(points.size() >= 2, points.toString());
        assertTrue(points.get(points.size() - 1).value() > points.get(0).value(), "a counter with a rate grows: " + points);
        prometheus.awaitValue("rate(client_it_requests_total[5s])", v -> v > 5 && v < 15);
    }

    @Test
    void aSyntaxErrorIsRemoteFailedWithPrometheusText() {
        TargetException e = assertThrows(TargetException.class, () -> prometheus.client().query("sum(rate(x[5m])"));
        assertEquals(TargetException.Kind.REMOTE_FAILED, e.kind());
        assertTrue(e.getMessage().startsWith("prometheus '" + prometheus.url() + "' answered 400 to the query: "), e.getMessage());
        assertTrue(e.getMessage().contains("parse error"), e.getMessage());
    }

    @Test
    void reportsTargetHealth() throws Exception {
        prometheus.awaitValue("up{job=\"down\"}", v -> v == 0);
        List<ScrapeTarget> targets = prometheus.client().targets();
        ScrapeTarget up = targets.stream().filter(t -> t.job().equals("test")).findFirst().orElseThrow();
        ScrapeTarget down = targets.stream().filter(t -> t.job().equals("down")).findFirst().orElseThrow();
        assertEquals(ScrapeTarget.Health.UP, up.health());
        assertEquals(prometheus.exporter().address(), up.instance());
        assertTrue(up.lastScrape().isPresent());
        assertEquals(ScrapeTarget.Health.DOWN, down.health());
        assertTrue(down.lastError().contains("connection refused"), down.lastError());
    }

    @Test
    void makesASnapshotOnDisk() throws Exception {
        String name = prometheus.client().snapshot();
        assertTrue(name.matches("\\d{8}T\\d{6}Z-[0-9a-f]+"), name);
        assertTrue(Files.isDirectory(prometheus.dataDir().resolve("snapshots").resolve(name)), "no snapshot directory " + name);
    }

    @Test
    void aServerThatIsDownIsUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        PrometheusClient client = new PrometheusClient(URI.create("http://127.0.0.1:" + port), Optional.empty(), Duration.ofSeconds(2));
        TargetException e = assertThrows(TargetException.class, () -> client.query("up"));
        assertEquals(TargetException.Kind.UNREACHABLE, e.kind());
        assertEquals("prometheus 'http://127.0.0.1:" + port + "' is unreachable: connection refused", e.getMessage());
        assertEquals("127.0.0.1:" + port, e.host());
    }
}
