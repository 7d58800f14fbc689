package dev.opsctl.action.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/** The JDK's HTTP server on 127.0.0.1:0 with canned answers per path; remembers the requests it saw. */
public final class TestServer implements AutoCloseable {
    /** A canned answer. */
    public record Answer(int status, String body, long delayMillis) {}

    private final HttpServer server;
    private final Map<String, Function<HttpExchange, Answer>> routes = new ConcurrentHashMap<>();
    public final List<String> seen = new CopyOnWriteArrayList<>();

    public TestServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    public TestServer on(String path, Function<HttpExchange, Answer> answer) {
        routes.put(path, answer);
        return this;
    }

    public TestServer on(String path, int status, String body) {
        return on(path, x -> new Answer(status, body, 0));
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void handle(HttpExchange x) throws IOException {
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        seen.add(x.getRequestMethod() + " " + x.getRequestURI().getPath() + " " + body);
        Answer a = routes.getOrDefault(x.getRequestURI().getPath(), e -> new Answer(404, "not found", 0)).apply(x);
        if (a.delayMillis() > 0) {
            try {
                Thread.sleep(a.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("X-Test", "yes");
        x.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        } catch (IOException e) {
            // the client gave up (a timeout test)
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
