package dev.opsctl.action.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.FakeStepContext;
import dev.opsctl.action.StepResult;
import dev.opsctl.target.local.LocalTarget;
import dev.opsctl.target.prometheus.QueryResult;
import dev.opsctl.target.prometheus.RangeSeries;
import dev.opsctl.target.prometheus.Sample;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** From a query's answer to the step's result: aggregation, empty answers, expect, result fields. */
class PrometheusVerdictTest {
    private static final Instant T = Instant.parse("2026-11-22T02:30:00Z");
    private static final String Q = "sum(rate(http_requests_total{code=~\"5..\"}[5m])) / sum(rate(http_requests_total[5m]))";
    private final FakeStepContext ctx = new FakeStepContext(new LocalTarget("web-1"), Path.of("."));

    private static PrometheusSpec spec(Optional<String> expect, PrometheusSpec.Aggregate a, PrometheusSpec.OnEmpty e) {
        return new PrometheusSpec("http://p:9090", Q, expect, Duration.ofSeconds(10), a, e, Optional.empty(), Optional.empty());
    }

    private static QueryResult vector(double... values) {
        List<Sample> samples = new java.util.ArrayList<>();
        for (int i = values.length - 1; i >= 0; i--) {
            samples.add(new Sample(Map.of("instance", "web-" + (i + 1)), T, values[i]));
        }
        return new QueryResult(QueryResult.Type.VECTOR, samples, List.of(), "", List.of());
    }

    private StepResult verdict(Optional<String> expect, PrometheusSpec.Aggregate a, PrometheusSpec.OnEmpty e, QueryResult r) {
        return PrometheusVerdict.of(spec(expect, a, e), Q, r, ctx);
    }

    @Test
    void aValueThatMeetsExpectIsOk() {
        StepResult r = verdict(Optional.of("value < 0.05"), PrometheusSpec.Aggregate.MAX, PrometheusSpec.OnEmpty.NAN, vector(0.012));
        assertEquals(StepResult.Outcome.OK, r.outcome(), r.message());
        assertEquals("prometheus value 0.012 for '" + Q + "'", r.message());
        assertEquals(0.012, r.data().get("value"));
        assertEquals(1L, r.data().get("count"));
        assertEquals(Q, r.data().get("query"));
        assertEquals(List.of(Map.of("labels", Map.of("instance", "web-1"), "value", 0.012)), r.data().get("series"));
    }

    @Test
    void aValueThatMissesExpectFailsSayingWhatWasExpected() {
        StepResult r = verdict(Optional.of("value < 0.05"), PrometheusSpec.Aggregate.MAX, PrometheusSpec.OnEmpty.NAN, vector(0.12));
        assertEquals(StepResult.Outcome.FAILED, r.outcome());
        assertEquals("prometheus value 0.12 for '" + Q + "' (expected value < 0.05)", r.message());
    }

    @Test
    void severalSeriesAreAggregatedInLabelOrder() {
        QueryResult r = vector(3, Double.NaN, 7, 1);
        assertEquals(7.0, verdict(Optional.empty(), PrometheusSpec.Aggregate.MAX, PrometheusSpec.OnEmpty.NAN, r).data().get("value"));
        assertEquals(1.0, verdict(Optional.empty(), PrometheusSpec.Aggregate.MIN, PrometheusSpec.OnEmpty.NAN, r).data().get("value"));
        assertTrue(Double.isNaN((Double) verdict(Optional.empty(), PrometheusSpec.Aggregate.SUM, PrometheusSpec.OnEmpty.NAN, r).data().get("value")));
        assertEquals(11.0, verdict(Optional.empty(), PrometheusSpec.Aggregate.SUM, PrometheusSpec.OnEmpty.NAN, vector(3, 7, 1)).data().get("value"));
        StepResult first = verdict(Optional.empty(), PrometheusSpec.Aggregate.FIRST, PrometheusSpec.OnEmpty.NAN, r);
        assertEquals(3.0, first.data().get("value"));
        assertEquals("prometheus value 3 for '" + Q + "' (first of 4 series)", first.message());
        assertEquals(4L, first.data().get("count"));
        assertEquals(Map.of("instance", "web-1"), ((Map<?, ?>) ((List<?>) first.data().get("series")).get(0)).get("labels"));
        assertTrue(Double.isNaN(PrometheusSpec.Aggregate.MAX.apply(List.of(Double.NaN, Double.NaN))));
    }

    @Test
    void anEmptyAnswerIsNanZeroOrAFailureAsAsked() {
        QueryResult empty = vector();
        StepResult nan = verdict(Optional.of("value > 30"), PrometheusSpec.Aggregate.MAX, PrometheusSpec.OnEmpty.NAN, empty);
        assertEquals(StepResult.Outcome.FAILED, nan.outcome(), "NaN > 30 is false");
        assertEquals("prometheus value NaN for '" + Q + "' (no series, on_empty: nan) (expected value > 30)", nan.message());
        assertEquals(0L, nan.data().get("count"));
        StepResult zero = verdict(Optional.of("value < 0.05"), PrometheusSpec.Aggregate.MAX, PrometheusSpec.OnEmpty.ZERO, empty);
        assertEquals(StepResult.Outcome.OK, zero.outcome(), zero.message());
        assertEquals(0.0, zero.data().get("value"));
        StepResult fail = verdict(Optional.empty(), PrometheusSpec.Aggregate.MAX, PrometheusSpec.OnEmpty.FAIL, empty);
        assertEquals(StepResult.Outcome.FAILED, fail.outcome());
        assertEquals("prometheus query '" + Q + "' returned no series (on_empty: fail)", fail.message());
        assertEquals(null, fail.data().get("value"), "no value for a trigger's condition to read as healthy");
    }

    @Test
    void aScalarIsOneValue() {
        QueryResult scalar = new QueryResult(QueryResult.Type.SCALAR, List.of(new Sample(Map.of(), T, Double.POSITIVE_INFINITY)), List.of(), "", List.of());
        StepResult r = verdict(Optional.of("value > 30"), PrometheusSpec.Aggregate.MAX, PrometheusSpec.OnEmpty.NAN, scalar);
        assertEquals(StepResult.Outcome.OK, r.outcome(), r.message());
        assertEquals("prometheus value +Inf for '" + Q + "'", r.message());
    }

    @Test
    void aRangeVectorOrAStringFailsWithAHint() {
        QueryResult matrix = new QueryResult(QueryResult.Type.MATRIX, List.of(),
                List.of(new RangeSeries(Map.of(), List.of(new RangeSeries.Point(T, 1)))), "", List.of());
        StepResult r = verdict(Optional.empty(), PrometheusSpec.Aggregate.MAX, PrometheusSpec.OnEmpty.NAN, matrix);
        assertEquals(StepResult.Outcome.FAILED, r.outcome());
        assertTrue(r.message().endsWith("returns a range vector, not one value per series (wrap it in a function such as rate(...[5m]) or max_over_time(...[5m]))"), r.message());
        QueryResult string = new QueryResult(QueryResult.Type.STRING, List.of(), List.of(), "hello", List.of());
        assertEquals("prometheus query '" + Q + "' returns a string ('hello'), not a number",
                verdict(Optional.empty(), PrometheusSpec.Aggregate.MAX, PrometheusSpec.OnEmpty.NAN, string).message());
    }

    @Test
    void anExpectThatCannotBeEvaluatedFailsTheStep() {
        StepResult r = verdict(Optional.of("nosuch > 1"), PrometheusSpec.Aggregate.MAX, PrometheusSpec.OnEmpty.NAN, vector(1));
        assertEquals(StepResult.Outcome.FAILED, r.outcome());
        assertTrue(r.message().startsWith("prometheus value 1 for '" + Q + "': cannot evaluate expect 'nosuch > 1': "), r.message());
    }

    @Test
    void formatsValuesAsPeopleReadThem() {
        assertEquals("0.12", PrometheusVerdict.format(0.12000000000000001));
        assertEquals("35", PrometheusVerdict.format(35.0));
        assertEquals("0.333333", PrometheusVerdict.format(1.0 / 3));
        assertEquals("1.5E-7", PrometheusVerdict.format(1.5e-7));
        assertEquals("-Inf", PrometheusVerdict.format(Double.NEGATIVE_INFINITY));
        assertEquals("0", PrometheusVerdict.format(-0.0));
    }
}
