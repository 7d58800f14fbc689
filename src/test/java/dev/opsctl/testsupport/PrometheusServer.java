package dev.opsctl.testsupport;

import dev.opsctl.source.Secret;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.prometheus.PrometheusAuth;
import dev.opsctl.target.prometheus.PrometheusClient;
import dev.opsctl.target.prometheus.QueryResult;
import dev.opsctl.target.prometheus.Sample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.DoublePredicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Prometheus ({@code /usr/bin/prometheus}, Debian's package) for one IT class, scraping a
 * {@link TestExporter} every second. Use it as
 *
 * <pre>{@code
 * @RegisterExtension static final PrometheusServer prometheus = new PrometheusServer();
 * ...
 * prometheus.exporter().setGauge("container_start_p95_seconds", 35);
 * prometheus.awaitValue("container_start_p95_seconds", v -> v == 35);
 * }</pre>
 *
 * Prometheus listens on 127.0.0.1 on a free port with the admin and lifecycle APIs on; its data
 * lives in a temporary directory (mode 0700) removed after the class. Before the first test, the
 * exporter has been scraped at least once. Start-up takes about 5.5 s: Prometheus is ready in
 * ~150 ms, but its discovery manager hands targets to the scraper on a fixed 5 s tick. After that a
 * changed value is visible within about one scrape interval (1 s). Without the binary the class is skipped, except under
 * {@code CI=true}, where that fails.
 */
public final class PrometheusServer implements BeforeAllCallback, AfterAllCallback {
    public static final Path BINARY = Path.of("/usr/bin/prometheus");
    public static final String JOB = "test";
    private static final Duration STARTUP = Duration.ofSeconds(60);

    /** The user and password {@link #withBasicAuth()} accepts. */
    public static final String USER = "opsctl";
    public static final String PASSWORD = "prom-test-pw";
    /** bcrypt of {@link #PASSWORD}, cost 4 so that every request does not pay for a strong hash. */
    private static final String PASSWORD_HASH = "$2b$04$eoYEfS.BPPQhBLnQt5zTZOkzpxuwy.rRg9qXr5NEvAT/tO/KE5UBi";

    private boolean withDownTarget;
    private boolean withBasicAuth;
    private TestExporter exporter;
    private Process process;
    private Path dir;
    private int port;
    private int downPort;
    private Duration startup = Duration.ZERO;

    /** Adds a second job, {@code down}, scraping a port where nothing listens (a target whose health is down). */
    public PrometheusServer withDownTarget() {
        withDownTarget = true;
        return this;
    }

    /** Requires HTTP basic auth ({@link #USER}, {@link #PASSWORD}) for every request, through {@code --web.config.file}. */
    public PrometheusServer withBasicAuth() {
        withBasicAuth = true;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (!Files.isExecutable(BINARY)) {
            String why = BINARY + " is missing: apt-get install prometheus";
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(why);
            }
            Assumptions.assumeTrue(false, why);
        }
        dir = Files.createTempDirectory("opsctl-prometheus-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        exporter = TestExporter.start();
        downPort = freePort();
        long t0 = System.nanoTime();
        start();
        awaitFirstScrape();
        startup = Duration.ofNanos(System.nanoTime() - t0);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stopProcess();
        if (exporter != null) {
            exporter.close();
        }
        TestDirs.delete(dir);
    }

    public TestExporter exporter() {
        return exporter;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** A client with the right credentials, if any are needed. */
    public PrometheusClient client() {
        Optional<PrometheusAuth> auth = withBasicAuth ? Optional.of(new PrometheusAuth.Basic(USER, new Secret(PASSWORD))) : Optional.empty();
        return new PrometheusClient(url(), auth, Duration.ofSeconds(10));
    }

    /** {@code --storage.tsdb.path}: snapshots appear under {@code snapshots/NAME} in it. */
    public Path dataDir() {
        return dir.resolve("data");
    }

    /** From process start to the first scrape seen by Prometheus. */
    public Duration startupTime() {
        return startup;
    }

    /** A port on 127.0.0.1 where nothing listens (the {@code down} job's target). */
    public int downPort() {
        return downPort;
    }

    /** Prometheus' own output so far, for assertion messages. */
    public String log() {
        try {
            return Files.readString(dir.resolve("prometheus.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Polls {@code query} until one of its samples satisfies {@code accept}; returns that sample. */
    public Sample awaitValue(String query, DoublePredicate accept) throws InterruptedException {
        return awaitValue(query, accept, Duration.ofSeconds(15));
    }

    public Sample awaitValue(String query, DoublePredicate accept, Duration timeout) throws InterruptedException {
        PrometheusClient client = client();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (true) {
            try {
                QueryResult r = client.query(query);
                for (Sample s : r.samples()) {
                    if (accept.test(s.value())) {
                        return s;
                    }
                }
                last = r.samples().toString();
            } catch (TargetException e) {
                last = e.getMessage();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("'" + query + "' did not reach the expected value within " + timeout.toMillis() + "ms; last: " + last);
            }
            Thread.sleep(50);
        }
    }

    private void start() throws IOException, InterruptedException {
        IOException lastFailure = null;
        // a free port can be taken between probing and binding: try a few
        for (int attempt = 0; attempt < 3; attempt++) {
            port = freePort();
            Files.writeString(dir.resolve("prometheus.yml"), config(), StandardCharsets.UTF_8);
            List<String> cmd = new ArrayList<>(List.of(BINARY.toString(),
                    "--config.file=" + dir.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + dataDir(),
                    "--web.listen-address=127.0.0.1:" + port,
                    "--web.enable-admin-api",
                    "--web.enable-lifecycle",
                    "--log.level=warn"));
            if (withBasicAuth) {
                Files.writeString(dir.resolve("web.yml"), "basic_auth_users:\n  " + USER + ": " + PASSWORD_HASH + "\n", StandardCharsets.UTF_8);
                cmd.add("--web.config.file=" + dir.resolve("web.yml"));
            }
            process = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("prometheus.log").toFile())
                    .start();
            try {
                awaitReady();
                return;
            } catch (IOException e) {
                lastFailure = e;
                stopProcess();
            }
        }
        throw lastFailure;
    }

    private void awaitReady() throws IOException, InterruptedException {
        PrometheusClient client = client();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("prometheus exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                if (client.ready()) {
                    return;
                }
            } catch (TargetException e) {
                // not listening yet
            }
            Thread.sleep(25);
        }
        throw new IOException("prometheus not ready within " + STARTUP.toSeconds() + "s:\n" + log());
    }

    private void awaitFirstScrape() throws InterruptedException {
        awaitValue("up{job=\"" + JOB + "\"}", v -> v == 1, STARTUP);
    }

    private String config() {
        StringBuilder out = new StringBuilder("""
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: %s
                    static_configs:
                      - targets: ['%s']
                """.formatted(JOB, exporter.address()));
        if (withDownTarget) {
            out.append("""
                      - job_name: down
                        static_configs:
                          - targets: ['127.0.0.1:%d']
                    """.formatted(downPort));
        }
        return out.toString();
    }

    private void stopProcess() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        process = null;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
