package dev.opsctl.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Grafana HTTP API endpoints the backup runbooks use, and only those, on 127.0.0.1 (JDK
 * HttpServer): {@code GET /api/search?type=dash-db[&limit&page]}, {@code GET /api/dashboards/uid/UID},
 * {@code POST /api/dashboards/db} (with {@code overwrite}). Every request needs {@code Authorization:
 * Bearer <token>} or basic auth with {@link #USER}/{@link #PASSWORD}; anything else gets 401, as
 * Grafana answers. Like Grafana, an import assigns a new id and bumps the version. Thread-safe.
 */
public final class GrafanaStandIn implements AutoCloseable {
    public static final String USER = "admin";
    public static final String PASSWORD = "grafana-admin-pw";

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Stored(ObjectNode dashboard, String folderUid) {}

    private final HttpServer server;
    private final String token;
    private final Map<String, Stored> dashboards = new TreeMap<>();
    private final AtomicLong ids = new AtomicLong(100);
    /** Every Authorization header received, to prove the credentials were actually sent. */
    public final List<String> authorizations = new CopyOnWriteArrayList<>();
    public final List<String> requests = new CopyOnWriteArrayList<>();

    public GrafanaStandIn(String token) throws IOException {
        this.token = token;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Adds a dashboard as Grafana stores it (id, uid, title, version, panels). */
    public synchronized GrafanaStandIn add(String uid, String title, String folderUid, int panels) {
        ObjectNode d = JSON.createObjectNode();
        d.put("id", ids.incrementAndGet());
        d.put("uid", uid);
        d.put("title", title);
        d.put("version", 3);
        d.put("schemaVersion", 39);
        ArrayNode ps = d.putArray("panels");
        for (int i = 0; i < panels; i++) {
            ObjectNode p = ps.addObject();
            p.put("id", i + 1);
            p.put("type", "timeseries");
            p.put("title", title + " panel " + (i + 1) + " — ü");
            p.putObject("gridPos").put("h", 8).put("w", 12).put("x", 0).put("y", i * 8);
            p.putArray("targets").addObject().put("expr", "rate(http_requests_total{job=\"" + uid + "\"}[5m])");
        }
        dashboards.put(uid, new Stored(d, folderUid));
        return this;
    }

    public synchronized void clear() {
        dashboards.clear();
    }

    public synchronized List<String> uids() {
        return List.copyOf(dashboards.keySet());
    }

    /** The body of {@code GET /api/dashboards/uid/UID}, as Grafana would send it. */
    public synchronized JsonNode get(String uid) {
        Stored s = dashboards.get(uid);
        if (s == null) {
            throw new IllegalArgumentException("no dashboard '" + uid + "'");
        }
        ObjectNode out = JSON.createObjectNode();
        out.set("dashboard", s.dashboard().deepCopy());
        ObjectNode meta = out.putObject("meta");
        meta.put("type", "db");
        meta.put("slug", s.dashboard().get("title").asText().toLowerCase().replace(' ', '-'));
        meta.put("folderUid", s.folderUid());
        meta.put("version", s.dashboard().get("version").asLong());
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange x) throws IOException {
        try {
            String path = x.getRequestURI().getPath();
            String query = x.getRequestURI().getRawQuery() == null ? "" : x.getRequestURI().getRawQuery();
            requests.add(x.getRequestMethod() + " " + path + (query.isEmpty() ? "" : "?" + query));
            String auth = x.getRequestHeaders().getFirst("Authorization");
            authorizations.add(auth == null ? "" : auth);
            if (!authorized(auth)) {
                send(x, 401, "{\"message\":\"Unauthorized\"}");
                return;
            }
            if (x.getRequestMethod().equals("GET") && path.equals("/api/search")) {
                send(x, 200, search(query).toString());
            } else if (x.getRequestMethod().equals("GET") && path.startsWith("/api/dashboards/uid/")) {
                String uid = path.substring("/api/dashboards/uid/".length());
                synchronized (this) {
                    if (!dashboards.containsKey(uid)) {
                        send(x, 404, "{\"message\":\"Dashboard not found\"}");
                        return;
                    }
                    send(x, 200, get(uid).toString());
                }
            } else if (x.getRequestMethod().equals("POST") && path.equals("/api/dashboards/db")) {
                send(x, 200, save(JSON.readTree(x.getRequestBody())));
            } else {
                send(x, 404, "{\"message\":\"Not found\"}");
            }
        } catch (IOException | RuntimeException e) {
            send(x, 400, "{\"message\":\"bad request\"}");
        } finally {
            x.close();
        }
    }

    private boolean authorized(String auth) {
        if (auth == null) {
            return false;
        }
        if (auth.equals("Bearer " + token)) {
            return true;
        }
        String basic = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        return auth.equals(basic);
    }

    private synchronized ArrayNode search(String query) {
        ArrayNode out = JSON.createArrayNode();
        boolean dashDb = query.contains("type=dash-db");
        if (!dashDb || query.matches(".*page=([2-9]|\\d\\d).*")) {
            return out;
        }
        for (Stored s : dashboards.values()) {
            ObjectNode o = out.addObject();
            o.put("id", s.dashboard().get("id").asLong());
            o.put("uid", s.dashboard().get("uid").asText());
            o.put("title", s.dashboard().get("title").asText());
            o.put("type", "dash-db");
            o.put("folderUid", s.folderUid());
        }
        return out;
    }

    private synchronized String save(JsonNode body) {
        JsonNode d = body.get("dashboard");
        if (d == null || !d.isObject() || !d.hasNonNull("uid") || !d.hasNonNull("title")) {
            throw new IllegalArgumentException("dashboard with uid and title required");
        }
        String uid = d.get("uid").asText();
        Stored old = dashboards.get(uid);
        if (old != null && !body.path("overwrite").asBoolean(false)) {
            return "{\"status\":\"name-exists\"}";
        }
        ObjectNode stored = (ObjectNode) d.deepCopy();
        stored.put("id", old != null ? old.dashboard().get("id").asLong() : ids.incrementAndGet());
        stored.put("version", old != null ? old.dashboard().get("version").asLong() + 1 : 1);
        dashboards.put(uid, new Stored(stored, body.path("folderUid").asText("")));
        return "{\"status\":\"success\",\"uid\":\"" + uid + "\",\"id\":" + stored.get("id").asLong() + ",\"version\":"
                + stored.get("version").asLong() + "}";
    }

    private static void send(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }
}
