package dev.opsctl.action.prometheus;

import dev.opsctl.action.ParseContext;
import dev.opsctl.source.DidYouMean;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import dev.opsctl.source.ScalarNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads a {@code prometheus:} mapping into a {@link PrometheusSpec}, reporting every problem with its position. */
final class PrometheusParser {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** Where {@code url} comes from when a step does not give one: a param or inventory variable. */
    static final String DEFAULT_URL = "{{ prometheus_url }}";

    private PrometheusParser() {}

    static Optional<PrometheusSpec> parse(Node node, ParseContext ctx) {
        if (node instanceof ScalarNode s && s.kind() == ScalarNode.Kind.STRING) {
            // the short form: prometheus: 'up{job="web"}'
            return query(s.text(), s, ctx).map(q -> new PrometheusSpec(DEFAULT_URL, q, Optional.empty(), DEFAULT_TIMEOUT,
                    PrometheusSpec.Aggregate.MAX, PrometheusSpec.OnEmpty.NAN, Optional.empty(), Optional.empty()));
        }
        Optional<MapReader> reader = MapReader.of(node, "'prometheus'", ctx.problems());
        if (reader.isEmpty()) {
            return Optional.empty();
        }
        MapReader r = reader.get();
        String url = r.string("url").orElse(DEFAULT_URL);
        r.node("url").ifPresent(n -> checkUrl(url, n, ctx));
        Optional<String> query = r.node("query").flatMap(n -> r.string("query").flatMap(q -> query(q, n, ctx)));
        if (!r.has("query")) {
            ctx.problems().error(r.pos(), "missing required key 'query' in 'prometheus'",
                    "write query: 'sum(rate(http_requests_total{code=~\"5..\"}[5m]))'");
        }
        Optional<String> expect = r.string("expect");
        r.node("expect").ifPresent(n -> expect.ifPresent(e -> ctx.checkCondition(e, n.pos(), PrometheusActionType.FIELDS)));
        Duration timeout = r.duration("timeout").orElse(DEFAULT_TIMEOUT);
        if (timeout.isZero()) {
            ctx.problems().error(r.keyPos("timeout"), "'timeout' in 'prometheus' must be longer than 0s");
        }
        PrometheusSpec.Aggregate aggregate = choice(r, "aggregate", PrometheusSpec.Aggregate.values(), PrometheusSpec.Aggregate.MAX);
        PrometheusSpec.OnEmpty onEmpty = choice(r, "on_empty", PrometheusSpec.OnEmpty.values(), PrometheusSpec.OnEmpty.NAN);
        Optional<PrometheusSpec.BasicAuth> basic = r.map("basic_auth").flatMap(b -> {
            String user = b.requiredString("username", "write basic_auth: {username: ops, password: \"{{ prometheus_password }}\"}");
            String password = b.requiredString("password", "write password: \"{{ prometheus_password }}\" with a secret variable");
            b.finish();
            return user.isEmpty() ? Optional.empty() : Optional.of(new PrometheusSpec.BasicAuth(user, password));
        });
        Optional<String> bearer = r.string("bearer_token");
        if (r.has("basic_auth") && r.has("bearer_token")) {
            ctx.problems().error(r.keyPos("bearer_token"), "'prometheus' takes 'basic_auth' or 'bearer_token', not both");
        }
        r.finish();
        return query.map(q -> new PrometheusSpec(url, q, expect, timeout, aggregate, onEmpty, basic, bearer));
    }

    private static Optional<String> query(String text, Node at, ParseContext ctx) {
        if (text.isBlank()) {
            ctx.problems().error(at.pos(), "'query' in 'prometheus' is empty", "write a PromQL expression such as 'up{job=\"web\"}'");
            return Optional.empty();
        }
        return Optional.of(text);
    }

    /** A URL without templates is checked now; one with templates when the step runs. */
    private static void checkUrl(String url, Node at, ParseContext ctx) {
        if (url.contains("{{")) {
            return;
        }
        try {
            URI u = new URI(url);
            if (u.getScheme() == null || !u.getScheme().matches("https?") || u.getHost() == null) {
                ctx.problems().error(at.pos(), "'url' in 'prometheus' must be an http or https URL, not '" + url + "'",
                        "write url: http://prometheus:9090");
            } else if (u.getRawUserInfo() != null) {
                ctx.problems().error(at.pos(), "'url' in 'prometheus' must not hold credentials",
                        "use basic_auth: {username: ..., password: \"{{ secret_var }}\"}");
            }
        } catch (URISyntaxException e) {
            ctx.problems().error(at.pos(), "'url' in 'prometheus' is not a valid URL: " + e.getReason());
        }
    }

    private static <E extends Enum<E>> E choice(MapReader r, String key, E[] values, E fallback) {
        Optional<String> text = r.string(key);
        if (text.isEmpty()) {
            return fallback;
        }
        List<String> names = Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT)).toList();
        int i = names.indexOf(text.get().toLowerCase(Locale.ROOT));
        if (i < 0) {
            r.problems().error(r.node(key).map(Node::pos).orElse(r.pos()),
                    "'" + key + "' in 'prometheus' must be one of " + String.join(", ", names) + ", not '" + text.get() + "'",
                    DidYouMean.hint(text.get(), names));
            return fallback;
        }
        return values[i];
    }
}
