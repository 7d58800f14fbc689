package dev.opsctl.testsupport;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A metrics endpoint for tests: the JDK HttpServer on 127.0.0.1 serving {@code /metrics} in the
 * Prometheus text format, with values the test sets. Gauges hold a value; counters either are
 * advanced by the test or grow by a rate per second of wall time (so {@code rate(x[10s])} has
 * something to see). Thread-safe; values change at once, and Prometheus sees them at its next scrape.
 */
public final class TestExporter implements AutoCloseable {
    private record Series(String name, String type, Map<String, String> labels) implements Comparable<Series> {
        String text() {
            if (labels.isEmpty()) {
                return name;
            }
            StringBuilder out = new StringBuilder(name).append('{');
            labels.forEach((k, v) -> {
                if (out.charAt(out.length() - 1) != '{') {
                    out.append(',');
                }
                out.append(k).append("=\"").append(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
            });
            return out.append('}').toString();
        }

        @Override
        public int compareTo(Series o) {
            // by name first: a name's series must be contiguous under one TYPE line
            int byName = name.compareTo(o.name);
            return byName != 0 ? byName : text().compareTo(o.text());
        }
    }

    /** A counter's value at a time: {@code base + perSecond * seconds since 'since'}. */
    private record Value(double base, double perSecond, long sinceNanos) {
        double now() {
            return perSecond == 0 ? base : base + perSecond * (System.nanoTime() - sinceNanos) / 1e9;
        }
    }

    private final HttpServer server;
    private final ConcurrentSkipListMap<Series, Value> values = new ConcurrentSkipListMap<>();
    private final AtomicLong scrapes = new AtomicLong();

    private TestExporter(HttpServer server) {
        this.server = server;
    }

    public static TestExporter start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        TestExporter exporter = new TestExporter(server);
        server.createContext("/metrics", exchange -> {
            byte[] body = exporter.exposition().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
            exporter.scrapes.incrementAndGet();
            synchronized (exporter) {
                exporter.notifyAll();
            }
        });
        server.start();
        return exporter;
    }

    /** {@code 127.0.0.1:port}, as a scrape target. */
    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public TestExporter setGauge(String name, double value) {
        return setGauge(name, Map.of(), value);
    }

    public TestExporter setGauge(String name, Map<String, String> labels, double value) {
        values.put(new Series(name, "gauge", new TreeMap<>(labels)), new Value(value, 0, System.nanoTime()));
        return this;
    }

    /** Adds {@code delta} to a counter (created at 0), keeping any rate it grows by. */
    public TestExporter addCounter(String name, Map<String, String> labels, double delta) {
        values.compute(new Series(name, "counter", new TreeMap<>(labels)), (k, v) -> v == null
                ? new Value(delta, 0, System.nanoTime())
                : new Value(v.now() + delta, v.perSecond(), System.nanoTime()));
        return this;
    }

    /** Makes a counter grow by {@code perSecond} from now on, from its current value. */
    public TestExporter setCounterRate(String name, Map<String, String> labels, double perSecond) {
        values.compute(new Series(name, "counter", new TreeMap<>(labels)),
                (k, v) -> new Value(v == null ? 0 : v.now(), perSecond, System.nanoTime()));
        return this;
    }

    /** Stops exporting every series of {@code name}; Prometheus marks them stale at the next scrape. */
    public TestExporter remove(String name) {
        values.keySet().removeIf(s -> s.name().equals(name));
        return this;
    }

    public TestExporter clear() {
        values.clear();
        return this;
    }

    /** How many times {@code /metrics} has been served. */
    public long scrapes() {
        return scrapes.get();
    }

    /** Waits for {@code n} more scrapes; after it returns, Prometheus holds every value set before the call. */
    public void awaitScrapes(int n, Duration timeout) throws InterruptedException {
        long target = scrapes.get() + n;
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (scrapes.get() < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no scrape of " + address() + " within " + timeout.toMillis() + "ms");
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** The current {@code /metrics} text. */
    public String exposition() {
        StringBuilder out = new StringBuilder();
        String lastName = "";
        for (Map.Entry<Series, Value> e : values.entrySet()) {
            Series s = e.getKey();
            if (!s.name().equals(lastName)) {
                out.append("# TYPE ").append(s.name()).append(' ').append(s.type()).append('\n');
                lastName = s.name();
            }
            out.append(s.text()).append(' ').append(format(e.getValue().now())).append('\n');
        }
        return out.toString();
    }

    private static String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return Double.toString(v);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
