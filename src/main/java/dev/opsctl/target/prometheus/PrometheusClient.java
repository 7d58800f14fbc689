package dev.opsctl.target.prometheus;

import dev.opsctl.target.TargetException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Prometheus' HTTP API (v1) as opsctl needs it: instant and range queries, {@code /-/ready}, scrape
 * targets and TSDB snapshots. Thread-safe; one instance per server. Every call either returns the
 * parsed answer or throws a {@link TargetException}: UNREACHABLE (refused, unknown host), TIMEOUT
 * (no answer within the timeout, or Prometheus' own query timeout), AUTH_FAILED (401/403 from a
 * proxy), REMOTE_FAILED (an API error, with Prometheus' text: a PromQL syntax error, admin API
 * disabled) or CONNECTION_LOST. Credentials never appear in a message.
 */
public final class PrometheusClient {
    private final HttpClient http;
    private final Endpoint at;
    private final Optional<PrometheusAuth> auth;
    private final Duration timeout;

    /**
     * @param url the server's base URL ({@code http://prom:9090}, or with a path prefix)
     * @param timeout for each whole request; queries also ask Prometheus to give up after it
     * @throws IllegalArgumentException when the URL is not http(s) or carries credentials
     */
    public PrometheusClient(HttpClient http, URI url, Optional<PrometheusAuth> auth, Duration timeout) {
        this.http = http;
        this.at = Endpoint.of(url);
        this.auth = auth;
        this.timeout = timeout;
    }

    public PrometheusClient(URI url, Optional<PrometheusAuth> auth, Duration timeout) {
        this(newHttpClient(), url, auth, timeout);
    }

    /** A client for many servers: no redirects followed (a redirect would resend credentials elsewhere). */
    public static HttpClient newHttpClient() {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** The base URL as shown in messages. */
    public String url() {
        return at.shown();
    }

    /** An instant query evaluated now. */
    public QueryResult query(String promql) throws TargetException, InterruptedException {
        return query(promql, Optional.empty());
    }

    /** An instant query evaluated at {@code time} (now when empty). */
    public QueryResult query(String promql, Optional<Instant> time) throws TargetException, InterruptedException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("query", promql);
        time.ifPresent(t -> form.put("time", seconds(t)));
        form.put("timeout", timeout.toMillis() + "ms");
        String body = post("/api/v1/query", form, "the query");
        try {
            return PrometheusJson.query(body);
        } catch (PrometheusJson.BadResponse e) {
            throw PrometheusErrors.badResponse(at, "the query", e);
        }
    }

    /** A range query from {@code start} to {@code end} every {@code step}. */
    public List<RangeSeries> queryRange(String promql, Instant start, Instant end, Duration step)
            throws TargetException, InterruptedException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("query", promql);
        form.put("start", seconds(start));
        form.put("end", seconds(end));
        form.put("step", step.toMillis() + "ms");
        form.put("timeout", timeout.toMillis() + "ms");
        String body = post("/api/v1/query_range", form, "the range query");
        try {
            return PrometheusJson.matrix(body);
        } catch (PrometheusJson.BadResponse e) {
            throw PrometheusErrors.badResponse(at, "the range query", e);
        }
    }

    /**
     * True when Prometheus serves queries ({@code /-/ready} is 200); false while it is still starting
     * (503). Throws UNREACHABLE when nothing listens.
     */
    public boolean ready() throws TargetException, InterruptedException {
        HttpResponse<String> r = send(request("/-/ready").GET().build());
        if (r.statusCode() == 200) {
            return true;
        }
        if (r.statusCode() == 503) {
            return false;
        }
        throw PrometheusErrors.status(at, "the readiness check", r.statusCode(), r.body(), timeout);
    }

    /** The active scrape targets and their health. */
    public List<ScrapeTarget> targets() throws TargetException, InterruptedException {
        HttpResponse<String> r = send(request("/api/v1/targets?state=active").GET().build());
        String body = ok(r, "the targets request");
        try {
            return PrometheusJson.targets(body);
        } catch (PrometheusJson.BadResponse e) {
            throw PrometheusErrors.badResponse(at, "the targets request", e);
        }
    }

    /**
     * Asks for a TSDB snapshot (needs {@code --web.enable-admin-api}) and returns its name: a
     * directory under {@code <storage.tsdb.path>/snapshots/} on the Prometheus server. Not idempotent:
     * each call makes a new snapshot.
     */
    public String snapshot() throws TargetException, InterruptedException {
        String body = post("/api/v1/admin/tsdb/snapshot", Map.of(), "the snapshot request");
        try {
            return PrometheusJson.snapshotName(body);
        } catch (PrometheusJson.BadResponse e) {
            throw PrometheusErrors.badResponse(at, "the snapshot request", e);
        }
    }

    private String post(String path, Map<String, String> form, String what) throws TargetException, InterruptedException {
        String encoded = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest req = request(path)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encoded, StandardCharsets.UTF_8))
                .build();
        return ok(send(req), what);
    }

    private String ok(HttpResponse<String> r, String what) throws TargetException {
        if (r.statusCode() / 100 != 2) {
            throw PrometheusErrors.status(at, what, r.statusCode(), r.body(), timeout);
        }
        return r.body();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(at.resolve(path)).timeout(timeout).header("Accept", "application/json");
        auth.ifPresent(a -> b.header("Authorization", a.header().reveal()));
        return b;
    }

    private HttpResponse<String> send(HttpRequest req) throws TargetException, InterruptedException {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            TargetException t = PrometheusErrors.io(at, e, timeout);
            // every call but the admin API's (a snapshot) only reads: an answer broken off changed nothing
            throw req.uri().getPath().contains("/api/v1/admin/") ? t : t.withLostCommand(TargetException.LostCommand.READ_ONLY);
        }
    }

    private static String seconds(Instant t) {
        return java.math.BigDecimal.valueOf(t.toEpochMilli(), 3).toPlainString();
    }
}
