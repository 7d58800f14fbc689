package dev.opsctl.action.http;

import dev.opsctl.action.ParseContext;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import dev.opsctl.source.ScalarNode;
import dev.opsctl.source.SeqNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads an {@code http:} mapping, including its {@code expect:} block. */
final class HttpParser {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private HttpParser() {}

    static Optional<HttpSpec> parse(Node node, ParseContext ctx) {
        Optional<MapReader> reader = MapReader.of(node, "'http'", ctx.problems());
        if (reader.isEmpty()) {
            return Optional.empty();
        }
        MapReader r = reader.get();
        String url = r.requiredString("url", "write url: http://{{ host.address }}:8000/health");
        String method = r.string("method").orElse("GET").toUpperCase(Locale.ROOT);
        if (!method.matches("[A-Z]+")) {
            ctx.problems().error(r.keyPos("method"), "'method' in 'http' is not an HTTP method: '" + method + "'", "write GET, POST, PUT, ...");
        }
        Map<String, String> headers = r.stringMap("headers");
        for (String h : headers.keySet()) {
            if (HttpProbe.restrictedHeaders().contains(h.toLowerCase(Locale.ROOT))) {
                ctx.problems().error(r.map("headers").map(m -> m.keyPos(h)).orElse(r.pos()), "header '" + h + "' is set by the HTTP client and cannot be given");
            }
        }
        Optional<String> body = r.string("body");
        Duration timeout = r.duration("timeout").orElse(DEFAULT_TIMEOUT);
        boolean insecure = r.bool("insecure").orElse(false);
        List<Integer> status = new ArrayList<>();
        Optional<String> contains = Optional.empty();
        Optional<Pattern> matches = Optional.empty();
        Optional<Duration> maxLatency = Optional.empty();
        Optional<MapReader> expect = r.map("expect");
        if (expect.isPresent()) {
            MapReader e = expect.get();
            status = statuses(e);
            contains = e.string("body_contains");
            matches = pattern(e);
            maxLatency = e.duration("max_latency");
            e.finish();
        }
        r.finish();
        return Optional.of(new HttpSpec(url, method, headers, body, timeout, status, contains, matches, maxLatency, insecure));
    }

    /** {@code status: 200} or {@code status: [200, 204]}. */
    static List<Integer> statuses(MapReader e) {
        List<Integer> out = new ArrayList<>();
        e.node("status").ifPresent(n -> {
            List<Node> items = n instanceof SeqNode seq ? seq.items() : List.of(n);
            for (Node item : items) {
                if (item instanceof ScalarNode s && s.kind() == ScalarNode.Kind.INT && s.text().matches("[1-5]\\d\\d")) {
                    out.add(Integer.parseInt(s.text()));
                } else {
                    e.problems().error(item.pos(), "'status' in " + e.what() + " must be HTTP status codes (100-599), not "
                            + (item instanceof ScalarNode s && !s.isNull() ? "'" + s.text() + "'" : item.describe()),
                            "write status: 200 or status: [200, 204]");
                }
            }
        });
        return out;
    }

    private static Optional<Pattern> pattern(MapReader e) {
        Optional<String> text = e.string("body_matches");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Pattern.compile(text.get()));
        } catch (PatternSyntaxException ex) {
            e.problems().error(e.node("body_matches").map(Node::pos).orElse(e.pos()),
                    "'body_matches' is not a valid regular expression: " + ex.getDescription());
            return Optional.empty();
        }
    }
}
