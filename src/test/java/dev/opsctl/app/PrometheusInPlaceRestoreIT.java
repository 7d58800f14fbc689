package dev.opsctl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.engine.ExitCodes;
import dev.opsctl.event.RunEvent;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.prometheus.PrometheusClient;
import dev.opsctl.target.prometheus.Sample;
import dev.opsctl.testsupport.PrometheusServer;
import dev.opsctl.testsupport.TestExporter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * monitoring-restore's in-place Prometheus restore against a real Prometheus that the runbook stops
 * and starts through shell commands, as it would with systemctl: a snapshot is taken, the server
 * loses its TSDB (stopped, data directory wiped, started empty) while the exporter moves on to other
 * values, and after the restore the server must answer with the values of the snapshot, both to the
 * runbook's own check and to this test's queries.
 */
class PrometheusInPlaceRestoreIT {
    private static final String METRIC = "opsctl_inplace_probe";
    private static final Map<String, Double> ORIGINAL = Map.of("a", 11.5, "b", 22.0, "c", -3.25);

    @TempDir
    Path tmp;

    private TestExporter exporter;
    private Path dir;
    private PrometheusClient client;

    @BeforeEach
    void aPrometheusStartedByScript() throws Exception {
        if (!Files.isExecutable(PrometheusServer.BINARY)) {
            Assumptions.assumeFalse("true".equals(System.getenv("CI")), "prometheus is required under CI=true");
            Assumptions.abort(PrometheusServer.BINARY + " is missing: apt-get install prometheus");
        }
        exporter = TestExporter.start();
        dir = Files.createDirectories(tmp.resolve("prometheus"));
        int port = freePort();
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: test
                    static_configs:
                      - targets: ['%s']
                """.formatted(exporter.address()));
        // a pidfile service, as an init script would be: the runbook's stop and start commands call it
        Files.writeString(dir.resolve("ctl"), """
                #!/bin/sh
                cd '%s'
                case "$1" in
                  start) nohup %s --config.file=prometheus.yml --storage.tsdb.path=data --web.listen-address=127.0.0.1:%d \\
                           --web.enable-admin-api --log.level=warn < /dev/null >> prometheus.log 2>&1 &
                         echo $! > pid ;;
                  stop)  pid=$(cat pid 2>/dev/null) || exit 0
                         kill "$pid" 2>/dev/null
                         while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
                         rm -f pid ;;
                esac
                """.formatted(dir, PrometheusServer.BINARY, port), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(dir.resolve("ctl"), PosixFilePermissions.fromString("rwx------"));
        client = new PrometheusClient(URI.create("http://127.0.0.1:" + port), Optional.empty(), Duration.ofSeconds(10));
        ORIGINAL.forEach((s, v) -> exporter.setGauge(METRIC, Map.of("series", s), v));
        ctl("start");
        await("count(" + METRIC + ")", r -> r.size() == 1 && r.get(0).value() == 3, Duration.ofSeconds(60));
        // the check reads at the snapshot's time in whole seconds, noted just before the snapshot: right
        // after the first scrape the only sample can lie after it (CI saw 'no series'); let a few come first
        await("min(count_over_time(" + METRIC + "[10m]))", r -> r.size() == 1 && r.get(0).value() >= 3, Duration.ofSeconds(60));
    }

    @AfterEach
    void stop() throws Exception {
        if (dir != null) {
            ctl("stop");
        }
        if (exporter != null) {
            exporter.close();
        }
    }

    @Test
    void aWipedPrometheusIsRestoredInPlaceAndAnswersWithTheSnapshotsValues() throws Exception {
        Path backupRoot = tmp.resolve("backups");
        ShippedRun.Result backup = ShippedRun.run(tmp.resolve("state-backup"), "monitoring-backup", List.of("backup_root=" + backupRoot,
                "components=prometheus", "prometheus_url=" + client.url(), "prometheus_data_dir=" + dir.resolve("data"),
                // parts/config-archive runs whatever 'components' says: give it a directory that exists
                "config_dirs=" + Files.createDirectories(tmp.resolve("etc"))));
        assertEquals(ExitCodes.OK, backup.code(), backup.describe());
        String name;
        try (var dirs = Files.list(backupRoot)) {
            name = dirs.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{8}-\\d{6}")).findFirst().orElseThrow();
        }

        // the live values move on, then the server loses its TSDB and comes back empty
        ORIGINAL.keySet().forEach(s -> exporter.setGauge(METRIC, Map.of("series", s), 99));
        await("min(" + METRIC + ")", r -> r.size() == 1 && r.get(0).value() == 99, Duration.ofSeconds(15));
        ctl("stop");
        sh("rm", "-rf", dir.resolve("data").toString());
        ctl("start");
        await("count(" + METRIC + " != 99)", List::isEmpty, Duration.ofSeconds(30));
        await("count(" + METRIC + ")", r -> r.size() == 1 && r.get(0).value() == 3, Duration.ofSeconds(30));

        ShippedRun.Result restore = ShippedRun.run(tmp.resolve("state-restore"), "monitoring-restore", List.of(
                "backup_root=" + backupRoot, "in_place=true", "confirm=" + name, "components=prometheus",
                "prometheus_url=" + client.url(), "prometheus_data_dir=" + dir.resolve("data"),
                "prometheus_stop_cmd=" + dir.resolve("ctl") + " stop", "prometheus_start_cmd=" + dir.resolve("ctl") + " start",
                "check_metric=" + METRIC));
        assertEquals(ExitCodes.OK, restore.code(), restore.describe() + "\n" + log());

        // the runbook's own check read the snapshot's values, not what the restarted server scraped since
        RunEvent.StepFinished check = restore.step("prometheus-query");
        assertEquals(ORIGINAL, seriesValues(check.result().get("series")), restore.describe());

        // and the server answers with them: the samples at the snapshot time are back
        long snapshotTime = Long.parseLong(Files.readString(backupRoot.resolve(name).resolve("prometheus-snapshot.time")).strip());
        List<Sample> back = client.query("last_over_time(" + METRIC + "[1h] @ " + snapshotTime + ")").samples();
        Map<String, Double> values = new TreeMap<>();
        back.forEach(s -> values.put(s.labels().get("series"), s.value()));
        assertEquals(new TreeMap<>(ORIGINAL), values, log());

        // what the restore replaced (the wiped server's data) was moved aside, not deleted
        Path saved;
        try (var dirs = Files.list(backupRoot)) {
            saved = dirs.filter(p -> p.getFileName().toString().startsWith("pre-restore-")).findFirst().orElseThrow();
        }
        Path aside = Path.of(Files.readString(saved.resolve("prometheus-data-dir.txt")).strip());
        assertTrue(Files.isDirectory(aside.resolve("wal")), aside.toString());
    }

    private List<Sample> await(String query, Predicate<List<Sample>> accept, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (true) {
            try {
                List<Sample> r = client.query(query).samples();
                if (accept.test(r)) {
                    return r;
                }
                last = r.toString();
            } catch (TargetException e) {
                last = e.getMessage();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("'" + query + "' not as expected within " + timeout.toMillis() + " ms; last: " + last + "\n" + log());
            }
            Thread.sleep(100);
        }
    }

    private void ctl(String verb) throws IOException, InterruptedException {
        sh("sh", dir.resolve("ctl").toString(), verb);
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("prometheus.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static Map<String, Double> seriesValues(Object series) {
        Map<String, Double> out = new TreeMap<>();
        for (Object o : (List<?>) series) {
            Map<?, ?> s = (Map<?, ?>) o;
            out.put(String.valueOf(((Map<?, ?>) s.get("labels")).get("series")), ((Number) s.get("value")).doubleValue());
        }
        return out;
    }

    private static void sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + out);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
