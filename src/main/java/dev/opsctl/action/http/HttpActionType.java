package dev.opsctl.action.http;

import dev.opsctl.action.ActionType;
import dev.opsctl.action.ParseContext;
import dev.opsctl.action.StepContext;
import dev.opsctl.action.StepResult;
import dev.opsctl.source.Durations;
import dev.opsctl.source.Node;
import dev.opsctl.template.TemplateException;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code http}: one request from the controller, checked against {@code expect}. Header values may
 * be secrets: they are sent, but never appear in a message or in the result.
 */
public final class HttpActionType implements ActionType<HttpSpec> {
    private final HttpProbe probe = new HttpProbe();

    @Override
    public String name() {
        return "http";
    }

    @Override
    public String description() {
        return "Sends one HTTP request from the controller (not from the host) and checks the response: 'url', 'method' "
                + "(default GET), 'headers', 'body', 'timeout' (default 10s) and 'insecure: true' to skip TLS checks. "
                + "'expect' holds 'status' (a code or a list; default any 2xx), 'body_contains', 'body_matches' (a regular "
                + "expression) and 'max_latency'. Redirects are not followed. Reports 'status', 'body' (first 1 MiB), "
                + "'latency_ms', 'headers' and, when the body is a JSON object or array, 'json' (the parsed body, e.g. "
                + "'steps.snap.json.data.name') for later steps and triggers.";
    }

    @Override
    public String example() {
        return """
                id: health
                http:
                  url: "http://{{ host.address }}:8000/health"
                  headers: {Authorization: "Bearer {{ health_token }}"}
                  timeout: 5s
                  expect: {status: [200, 204], body_contains: ok, max_latency: 500ms}
                """;
    }

    @Override
    public Optional<HttpSpec> parse(Node node, ParseContext ctx) {
        return HttpParser.parse(node, ctx);
    }

    @Override
    public StepResult execute(HttpSpec spec, StepContext ctx) throws InterruptedException {
        String url;
        Map<String, String> headers = new LinkedHashMap<>();
        Optional<String> body;
        try {
            url = ctx.render(spec.url());
            for (Map.Entry<String, String> h : spec.headers().entrySet()) {
                headers.put(h.getKey(), ctx.render(h.getValue()));
            }
            body = spec.body().isPresent() ? Optional.of(ctx.render(spec.body().get())) : Optional.empty();
        } catch (TemplateException e) {
            return StepResult.failed("cannot render the request: " + ctx.mask(e.getMessage()), Map.of());
        }
        String shown = spec.method() + " " + ctx.mask(url);
        URI uri;
        try {
            uri = URI.create(url);
            if (uri.getScheme() == null || !uri.getScheme().matches("https?")) {
                return StepResult.failed("'" + ctx.mask(url) + "' is not an http or https URL", Map.of());
            }
        } catch (IllegalArgumentException e) {
            return StepResult.failed("'" + ctx.mask(url) + "' is not a valid URL", Map.of());
        }
        HttpProbe.Response r;
        try {
            r = probe.send(spec.method(), uri, headers, body, spec.timeout(), spec.insecure());
        } catch (HttpProbe.TimedOut e) {
            return new StepResult(StepResult.Outcome.TIMED_OUT, 1, "", "", shown + ": " + e.getMessage(), Map.of(), spec.timeout());
        } catch (IOException e) {
            // no answer (refused, reset, TLS): nothing a probe's condition could judge
            return StepResult.failed(shown + " failed: " + ctx.mask(e.getMessage()), Map.of()).withTargetFailed();
        }
        return check(spec, shown, r, ctx);
    }

    static StepResult check(HttpSpec spec, String shown, HttpProbe.Response r, StepContext ctx) {
        String body = ctx.mask(r.body());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("status", (long) r.status());
        data.put("body", body);
        data.put("latency_ms", r.latency().toMillis());
        data.put("headers", Map.copyOf(r.headers()));
        // parsed from the masked body, so a secret the server echoes back stays masked here too
        JsonBody.parse(body).ifPresent(j -> data.put("json", j));
        String failure = null;
        if (!spec.statusOk(r.status())) {
            failure = shown + " -> " + r.status() + " (expected " + spec.expectedStatus() + ")";
        } else if (spec.bodyContains().isPresent() && !r.body().contains(spec.bodyContains().get())) {
            failure = shown + " -> " + r.status() + ", but the body does not contain '" + spec.bodyContains().get() + "'";
        } else if (spec.bodyMatches().isPresent() && !spec.bodyMatches().get().matcher(r.body()).find()) {
            failure = shown + " -> " + r.status() + ", but the body does not match '" + spec.bodyMatches().get().pattern() + "'";
        } else if (spec.maxLatency().isPresent() && r.latency().compareTo(spec.maxLatency().get()) > 0) {
            failure = shown + " took " + r.latency().toMillis() + "ms (expected at most " + Durations.format(spec.maxLatency().get()) + ")";
        }
        StepResult.Outcome outcome = failure == null ? StepResult.Outcome.OK : StepResult.Outcome.FAILED;
        String message = failure != null ? failure : shown + " -> " + r.status() + " in " + r.latency().toMillis() + "ms";
        return new StepResult(outcome, failure == null ? 0 : 1, body, "", message, data, r.latency());
    }

    @Override
    public String summary(HttpSpec spec) {
        return spec.method() + " " + spec.url();
    }
}
