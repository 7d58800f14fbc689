package dev.opsctl.app;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Prometheus as the migration runbooks and the helm-migration-monitoring checklist query it (a
 * healthy application unless told otherwise: no 5xx, usual latency, every pod ready, connections to
 * the database and Redis), and the public {@code /health} URL answering 200.
 */
final class FakeMonitoring implements AutoCloseable {
    /** Answers by a fragment of the query; the first fragment found wins. */
    final Map<String, String> values = new ConcurrentHashMap<>(Map.of(
            "5..", "0",
            "histogram_quantile", "1",
            "kube_pod_status_ready", "0",
            "restarts", "0",
            "pg_stat", "12",
            "redis", "30"));
    final List<String> queries = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    FakeMonitoring() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/query", exchange -> {
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String query = "";
            for (String pair : form.split("&")) {
                if (pair.startsWith("query=")) {
                    query = URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
                }
            }
            queries.add(query);
            String value = "0";
            for (String fragment : List.of("5..", "histogram_quantile", "kube_pod_status_ready", "restarts", "pg_stat", "redis")) {
                if (query.contains(fragment)) {
                    value = values.get(fragment);
                    break;
                }
            }
            send(exchange, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":["
                    + System.currentTimeMillis() / 1000 + ",\"" + value + "\"]}]}}");
        });
        server.createContext("/health", exchange -> send(exchange, "OK"));
        server.start();
    }

    private static void send(com.sun.net.httpserver.HttpExchange exchange, String body) throws IOException {
        byte[] out = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, out.length);
        try (OutputStream o = exchange.getResponseBody()) {
            o.write(out);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
