package dev.opsctl.target.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PrometheusJsonTest {
    @Test
    void readsAVectorWithLabelsAndSpecialValues() throws Exception {
        QueryResult r = PrometheusJson.query("""
                {"status":"success","data":{"resultType":"vector","result":[
                  {"metric":{"__name__":"x","code":"500"},"value":[1700000000.123,"0.5"]},
                  {"metric":{"code":"nan"},"value":[1700000000.123,"NaN"]},
                  {"metric":{"code":"pinf"},"value":[1700000000.123,"+Inf"]},
                  {"metric":{"code":"ninf"},"value":[1700000000.123,"-Inf"]},
                  {"metric":{"code":"exp"},"value":[1700000000,"1.5e-3"]}]}}
                """);
        assertEquals(QueryResult.Type.VECTOR, r.type());
        List<Sample> s = r.samples();
        assertEquals(Map.of("__name__", "x", "code", "500"), s.get(0).labels());
        assertEquals(Instant.parse("2023-11-14T22:13:20.123Z"), s.get(0).time());
        assertEquals(0.5, s.get(0).value());
        assertTrue(Double.isNaN(s.get(1).value()));
        assertEquals(Double.POSITIVE_INFINITY, s.get(2).value());
        assertEquals(Double.NEGATIVE_INFINITY, s.get(3).value());
        assertEquals(0.0015, s.get(4).value());
        assertEquals("{__name__=\"x\", code=\"500\"}", s.get(0).labelText());
    }

    @Test
    void readsAnEmptyVector() throws Exception {
        QueryResult r = PrometheusJson.query("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
        assertEquals(List.of(), r.samples());
    }

    @Test
    void readsAScalarAsOneSampleWithoutLabels() throws Exception {
        QueryResult r = PrometheusJson.query("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000000,\"+Inf\"]}}");
        assertEquals(QueryResult.Type.SCALAR, r.type());
        assertEquals(List.of(new Sample(Map.of(), Instant.ofEpochSecond(1700000000), Double.POSITIVE_INFINITY)), r.samples());
    }

    @Test
    void readsAStringResult() throws Exception {
        QueryResult r = PrometheusJson.query("{\"status\":\"success\",\"data\":{\"resultType\":\"string\",\"result\":[1700000000,\"hello\"]}}");
        assertEquals(QueryResult.Type.STRING, r.type());
        assertEquals("hello", r.text());
    }

    @Test
    void readsAMatrixAndWarnings() throws Exception {
        QueryResult r = PrometheusJson.query("""
                {"status":"success","warnings":["partial response"],"data":{"resultType":"matrix","result":[
                  {"metric":{"job":"a"},"values":[[1700000000,"1"],[1700000001,"NaN"],[1700000002,"3"]]}]}}
                """);
        assertEquals(QueryResult.Type.MATRIX, r.type());
        assertEquals(List.of("partial response"), r.warnings());
        RangeSeries s = r.series().get(0);
        assertEquals(Map.of("job", "a"), s.labels());
        assertEquals(3, s.points().size());
        assertTrue(Double.isNaN(s.points().get(1).value()));
        assertEquals(new RangeSeries.Point(Instant.ofEpochSecond(1700000002), 3.0), s.points().get(2));
    }

    @Test
    void skipsNativeHistogramSamplesWithAWarning() throws Exception {
        QueryResult r = PrometheusJson.query("""
                {"status":"success","data":{"resultType":"vector","result":[
                  {"metric":{"job":"a"},"histogram":[1700000000,{"count":"3"}]},
                  {"metric":{"job":"b"},"value":[1700000000,"2"]}]}}
                """);
        assertEquals(1, r.samples().size());
        assertEquals("skipped series {job=a}: it has no plain value", r.warnings().get(0));
    }

    @Test
    void readsTargets() throws Exception {
        List<ScrapeTarget> t = PrometheusJson.targets("""
                {"status":"success","data":{"activeTargets":[
                  {"labels":{"instance":"127.0.0.1:9100","job":"node"},"scrapeUrl":"http://127.0.0.1:9100/metrics",
                   "lastError":"","lastScrape":"2026-11-22T05:00:00.5+09:00","health":"up"},
                  {"labels":{"instance":"127.0.0.1:1","job":"down"},"scrapeUrl":"http://127.0.0.1:1/metrics",
                   "lastError":"connection refused","lastScrape":"0001-01-01T00:00:00Z","health":"unknown"}],
                  "droppedTargets":[]}}
                """);
        assertEquals("node", t.get(0).job());
        assertEquals("127.0.0.1:9100", t.get(0).instance());
        assertEquals(ScrapeTarget.Health.UP, t.get(0).health());
        assertEquals(Optional.of(Instant.parse("2026-11-21T20:00:00.5Z")), t.get(0).lastScrape());
        assertEquals(ScrapeTarget.Health.UNKNOWN, t.get(1).health());
        assertEquals(Optional.empty(), t.get(1).lastScrape());
        assertEquals("connection refused", t.get(1).lastError());
    }

    @Test
    void readsASnapshotName() throws Exception {
        assertEquals("20261122T050000Z-6e2f1b1a", PrometheusJson.snapshotName(
                "{\"status\":\"success\",\"data\":{\"name\":\"20261122T050000Z-6e2f1b1a\"}}"));
    }

    @Test
    void readsAnApiError() {
        assertEquals(Optional.of(new PrometheusJson.ApiError("bad_data", "1:15: parse error: unclosed left parenthesis")),
                PrometheusJson.error("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:15: parse error: unclosed left parenthesis\"}"));
        assertEquals(Optional.empty(), PrometheusJson.error("<html>Bad Gateway</html>"));
    }

    @Test
    void rejectsWhatIsNotTheApi() {
        assertEquals("not a JSON object", assertThrows(PrometheusJson.BadResponse.class, () -> PrometheusJson.query("[]")).getMessage());
        assertTrue(assertThrows(PrometheusJson.BadResponse.class, () -> PrometheusJson.query("<html>")).getMessage().startsWith("not JSON: "));
        assertEquals("unknown result type 'tensor'", assertThrows(PrometheusJson.BadResponse.class,
                () -> PrometheusJson.query("{\"status\":\"success\",\"data\":{\"resultType\":\"tensor\",\"result\":[]}}")).getMessage());
        assertEquals("a sample value is not a number: 'lots'", assertThrows(PrometheusJson.BadResponse.class,
                () -> PrometheusJson.query("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"lots\"]}}")).getMessage());
        assertEquals("no snapshot name in the answer", assertThrows(PrometheusJson.BadResponse.class,
                () -> PrometheusJson.snapshotName("{\"status\":\"success\",\"data\":{}}")).getMessage());
    }
}
