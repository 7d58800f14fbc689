package dev.opsctl.action.prometheus;

import dev.opsctl.action.ActionType;
import dev.opsctl.action.ParseContext;
import dev.opsctl.action.StepContext;
import dev.opsctl.action.StepResult;
import dev.opsctl.source.Node;
import dev.opsctl.source.Secret;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.prometheus.PrometheusAuth;
import dev.opsctl.target.prometheus.PrometheusClient;
import dev.opsctl.target.prometheus.QueryResult;
import dev.opsctl.template.TemplateException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * {@code prometheus}: one instant query from the controller, reduced to one {@code value} and checked
 * against {@code expect}. Read-only, so its outcome is OK or FAILED, never CHANGED. A Prometheus that
 * cannot be reached fails the step (the host itself is not unreachable); one that does not answer in
 * time times it out. Credentials never appear in messages or results. Thread-safe.
 */
public final class PrometheusActionType implements ActionType<PrometheusSpec> {
    /** What {@code expect}, {@code until} and a trigger's {@code when} may read. */
    static final Set<String> FIELDS = Set.of("value", "series", "count", "query");

    private HttpClient http;

    @Override
    public String name() {
        return "prometheus";
    }

    @Override
    public String description() {
        return "Runs one PromQL instant 'query' against the Prometheus at 'url' (default: the variable prometheus_url) "
                + "and checks 'expect', a condition such as 'value < 0.05'. Several series are reduced to 'value' by "
                + "'aggregate' (max, min, sum or first in label order; default max); no series gives 'on_empty' (nan, "
                + "the default, which makes every comparison false; zero; or fail, with no value, so that a trigger's "
                + "condition on it counts as holding). Results: value, series (each "
                + "{labels, value}), count and query. 'timeout' defaults to 10s; 'basic_auth' {username, password} or "
                + "'bearer_token' take secret variables. url and query are templates: PromQL's single braces pass "
                + "through, and a literal '{{' is written {{ '{{' }}.";
    }

    @Override
    public String example() {
        return """
                id: error-rate
                prometheus:
                  url: "http://prometheus.example:9090"
                  query: 'sum(rate(http_requests_total{code=~"5..", instance="{{ host.address }}:8000"}[5m])) / sum(rate(http_requests_total{instance="{{ host.address }}:8000"}[5m]))'
                  expect: value < 0.05
                  on_empty: zero
                  timeout: 10s
                """;
    }

    @Override
    public Optional<PrometheusSpec> parse(Node node, ParseContext ctx) {
        return PrometheusParser.parse(node, ctx);
    }

    @Override
    public Optional<Set<String>> resultFields() {
        return Optional.of(FIELDS);
    }

    @Override
    public StepResult execute(PrometheusSpec spec, StepContext ctx) throws InterruptedException {
        String url;
        String query;
        Optional<PrometheusAuth> auth;
        try {
            url = ctx.render(spec.url());
            query = ctx.render(spec.query());
            auth = auth(spec, ctx);
        } catch (TemplateException e) {
            String hint = spec.url().equals(PrometheusParser.DEFAULT_URL) ? " (give the step a 'url' or the run a 'prometheus_url' variable)" : "";
            return StepResult.failed("cannot render the prometheus query: " + ctx.mask(e.getMessage()) + hint, java.util.Map.of());
        }
        Duration timeout = ctx.timeout().filter(t -> t.compareTo(spec.timeout()) < 0).orElse(spec.timeout());
        PrometheusClient client;
        try {
            client = new PrometheusClient(http(), URI.create(url.strip()), auth, timeout);
        } catch (IllegalArgumentException e) {
            return StepResult.failed("prometheus url: " + ctx.mask(e.getMessage()), java.util.Map.of());
        }
        QueryResult result;
        long start = System.nanoTime();
        try {
            result = client.query(query);
        } catch (TargetException e) {
            return StepResult.targetFailure(e, ctx.mask(e.getMessage()), elapsed(start));
        }
        result.warnings().forEach(w -> ctx.progress("prometheus warning: " + ctx.mask(w)));
        return PrometheusVerdict.of(spec, ctx.mask(query), result, ctx).withElapsed(elapsed(start));
    }

    private static Optional<PrometheusAuth> auth(PrometheusSpec spec, StepContext ctx) throws TemplateException {
        if (spec.basicAuth().isPresent()) {
            PrometheusSpec.BasicAuth b = spec.basicAuth().get();
            return Optional.of(new PrometheusAuth.Basic(ctx.render(b.username()), new Secret(ctx.render(b.password()))));
        }
        if (spec.bearerToken().isPresent()) {
            return Optional.of(new PrometheusAuth.Bearer(new Secret(ctx.render(spec.bearerToken().get()).strip())));
        }
        return Optional.empty();
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = PrometheusClient.newHttpClient();
        }
        return http;
    }

    private static Duration elapsed(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    @Override
    public Duration estimate(PrometheusSpec spec) {
        return Duration.ofSeconds(1);
    }

    @Override
    public String summary(PrometheusSpec spec) {
        return "prometheus '" + spec.query() + "'" + spec.expect().map(e -> " expect " + e).orElse("");
    }
}
