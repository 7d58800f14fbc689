package dev.opsctl.testhost;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.DoubleSupplier;

/**
 * The fleet's monitoring as the rollout sees it, on 127.0.0.1 of the controller: a Prometheus query
 * API answering the judgement triggers of section 6.2 (by default with healthy values: success ratio
 * 0.99, container start P95 2.5 s), and a dashboard {@code /api/health} (Grafana's) for the
 * pre-deploy checklist.
 */
public final class MonitoringStandIn implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private volatile DoubleSupplier successRatio = () -> 0.99;

    public MonitoringStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(pool);
        server.createContext("/api/v1/query", this::query);
        server.createContext("/api/health", x -> reply(x, "{\"database\": \"ok\", \"version\": \"10.4.2\"}"));
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void query(HttpExchange x) throws IOException {
        String raw = x.getRequestURI().getRawQuery();
        if ("POST".equals(x.getRequestMethod())) {
            raw = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        }
        String query = raw == null ? "" : URLDecoder.decode(raw, StandardCharsets.UTF_8);
        String value = query.contains("http_requests_total") ? String.valueOf(successRatio.getAsDouble()) : "2.5";
        reply(x, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":["
                + System.currentTimeMillis() / 1000.0 + ",\"" + value + "\"]}]}}");
    }

    /** From now on, a query of http_requests_total answers what {@code ratio} gives at that moment. */
    public void successRatio(DoubleSupplier ratio) {
        successRatio = ratio;
    }

    private static void reply(HttpExchange x, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(200, b.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
