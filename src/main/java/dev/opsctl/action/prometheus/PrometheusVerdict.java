package dev.opsctl.action.prometheus;

import dev.opsctl.action.StepContext;
import dev.opsctl.action.StepResult;
import dev.opsctl.target.prometheus.QueryResult;
import dev.opsctl.target.prometheus.Sample;
import dev.opsctl.template.TemplateException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a query's answer into the step's result: the series, the aggregated value and the {@code expect} check. */
final class PrometheusVerdict {
    private PrometheusVerdict() {}

    /** {@code shownQuery} is the rendered query, masked. */
    static StepResult of(PrometheusSpec spec, String shownQuery, QueryResult result, StepContext ctx) {
        String what = "for '" + shownQuery + "'";
        if (result.type() == QueryResult.Type.MATRIX) {
            return StepResult.failed("prometheus query '" + shownQuery + "' returns a range vector, not one value per series "
                    + "(wrap it in a function such as rate(...[5m]) or max_over_time(...[5m]))", Map.of());
        }
        if (result.type() == QueryResult.Type.STRING) {
            return StepResult.failed("prometheus query '" + shownQuery + "' returns a string ('" + result.text() + "'), not a number", Map.of());
        }
        List<Sample> samples = new ArrayList<>(result.samples());
        samples.sort(Comparator.comparing(Sample::labelText));
        List<Map<String, Object>> series = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (Sample s : samples) {
            series.add(Map.of("labels", Map.copyOf(s.labels()), "value", s.value()));
            values.add(s.value());
        }
        double value;
        String how;
        if (samples.isEmpty()) {
            switch (spec.onEmpty()) {
                case FAIL -> {
                    // no 'value' at all, not NaN: a trigger's 'value > 0.05' on NaN is false, and would read as healthy
                    Map<String, Object> noValue = fields(Double.NaN, series, shownQuery);
                    noValue.remove("value");
                    return StepResult.failed("prometheus query '" + shownQuery + "' returned no series (on_empty: fail)", noValue);
                }
                case ZERO -> value = 0;
                default -> value = Double.NaN;
            }
            how = " (no series, on_empty: " + spec.onEmpty().yamlName() + ")";
        } else {
            value = spec.aggregate().apply(values);
            how = samples.size() == 1 ? "" : " (" + spec.aggregate().yamlName() + " of " + samples.size() + " series)";
        }
        Map<String, Object> data = fields(value, series, shownQuery);
        String shown = "prometheus value " + format(value) + " " + what + how;
        if (spec.expect().isEmpty()) {
            return StepResult.ok(shown, data);
        }
        String expect = spec.expect().get();
        try {
            if (ctx.test(expect, data)) {
                return StepResult.ok(shown, data);
            }
            return StepResult.failed(shown + " (expected " + expect + ")", data);
        } catch (TemplateException e) {
            return StepResult.failed(shown + ": cannot evaluate expect '" + expect + "': " + ctx.mask(e.getMessage()), data);
        }
    }

    private static Map<String, Object> fields(double value, List<Map<String, Object>> series, String query) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("value", value);
        data.put("series", List.copyOf(series));
        data.put("count", (long) series.size());
        data.put("query", query);
        return data;
    }

    /** Six significant digits, as PromQL results are read: {@code 0.12}, {@code 35}, {@code NaN}, {@code +Inf}. */
    static String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return "0";
        }
        BigDecimal d = new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros();
        return Math.abs(v) >= 1e-4 && Math.abs(v) < 1e15 ? d.toPlainString() : d.toString();
    }
}
