package dev.opsctl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opsctl.engine.ExitCodes;
import dev.opsctl.event.RunEvent;
import dev.opsctl.testsupport.GrafanaStandIn;
import dev.opsctl.testsupport.PrometheusServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * monitoring-backup and monitoring-restore-test against a real Prometheus (admin API on) and a
 * Grafana stand-in, run in-process through RunService on the local target. The restore test must
 * bring the data back: the dashboards into an emptied Grafana, and the original sample values out
 * of a scratch Prometheus that scrapes nothing.
 */
class MonitoringBackupIT {
    @RegisterExtension
    static final PrometheusServer prometheus = new PrometheusServer();

    private static final String TOKEN = "glsa_backupTestToken_9f8e7d6c";
    private static final String METRIC = "opsctl_backup_probe";
    private static final Map<String, Double> ORIGINAL = Map.of("a", 11.5, "b", 22.0, "c", -3.25);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private GrafanaStandIn grafana;
    private Path backupRoot;
    private Path configDir;

    @BeforeEach
    void setUp() throws Exception {
        grafana = new GrafanaStandIn(TOKEN)
                .add("node-exporter", "Node Exporter", "", 4)
                .add("gw-latency", "Gateway latency", "ops", 2)
                .add("prom-self", "Prometheus self", "ops", 6);
        backupRoot = tmp.resolve("backups");
        configDir = Files.createDirectories(tmp.resolve("etc/cni/net.d"));
        Files.writeString(configDir.resolve("10-flatnet.conflist"), "{\"cniVersion\":\"1.0.0\",\"name\":\"flatnet\"}\n");
        Files.write(configDir.resolve("binary.bin"), new byte[] {0, 1, 2, (byte) 0xff, '\n'});
        for (Map.Entry<String, Double> e : ORIGINAL.entrySet()) {
            prometheus.exporter().setGauge(METRIC, Map.of("series", e.getKey()), e.getValue());
        }
        prometheus.awaitValue("count(" + METRIC + ")", v -> v == 3);
        prometheus.awaitValue(METRIC + "{series=\"c\"}", v -> v == -3.25);
        // the restore check reads at the snapshot's time in whole seconds: with one scrape so far the only
        // sample can lie after it; let a few come first
        prometheus.awaitValue("min(count_over_time(" + METRIC + "[10m]))", v -> v >= 3, java.time.Duration.ofSeconds(60));
    }

    @AfterEach
    void tearDown() {
        grafana.close();
    }

    private List<String> backupVars() {
        return List.of("backup_root=" + backupRoot, "config_dirs=" + configDir, "grafana_url=" + grafana.url(),
                "grafana_token=" + TOKEN, "prometheus_url=" + prometheus.url(), "prometheus_data_dir=" + prometheus.dataDir());
    }

    private List<String> restoreVars(int port) {
        return List.of("backup_root=" + backupRoot, "scratch=" + tmp.resolve("scratch"), "grafana_url=" + grafana.url(),
                "grafana_token=" + TOKEN, "scratch_port=" + port, "check_metric=" + METRIC);
    }

    private Path onlyBackup() throws IOException {
        try (Stream<Path> dirs = Files.list(backupRoot)) {
            List<Path> all = dirs.filter(Files::isDirectory).toList();
            assertEquals(1, all.size(), all.toString());
            return all.get(0);
        }
    }

    @Test
    void backupHoldsEveryDashboardTheSnapshotAndTheConfigsAndTheRestoreTestBringsTheDataBack() throws Exception {
        ShippedRun.Result backup = ShippedRun.run(tmp.resolve("state-backup"), "monitoring-backup", backupVars());
        assertEquals(ExitCodes.OK, backup.code(), backup.describe());
        Path dir = onlyBackup();
        assertTrue(dir.getFileName().toString().matches("\\d{8}-\\d{6}"), dir.toString());

        // every dashboard, byte for byte what Grafana served
        for (String uid : grafana.uids()) {
            JsonNode saved = JSON.readTree(dir.resolve("grafana-dashboards/" + uid + ".json").toFile());
            assertEquals(JSON.readTree(grafana.get(uid).toString()), saved, uid);
        }
        try (Stream<Path> files = Files.list(dir.resolve("grafana-dashboards"))) {
            assertEquals(3, files.count());
        }
        assertTrue(grafana.authorizations.stream().allMatch(a -> a.equals("Bearer " + TOKEN)), grafana.authorizations.toString());

        // the snapshot was copied off the Prometheus data directory and removed from it
        assertTrue(Files.size(dir.resolve("prometheus-snapshot.tar")) > 1024);
        String name = Files.readString(dir.resolve("prometheus-snapshot.name")).strip();
        assertFalse(Files.exists(prometheus.dataDir().resolve("snapshots").resolve(name)), "snapshot left in the data dir");
        assertTrue(sh(dir, "tar", "--list", "--file", "prometheus-snapshot.tar").contains(name + "/"));

        // checksums of everything, and the config archive holds the files
        assertTrue(sh(dir, "sha256sum", "--check", "SHA256SUMS").contains("prometheus-snapshot.tar: OK"));
        String manifest = Files.readString(dir.resolve("manifest.tsv"));
        assertTrue(manifest.contains("grafana-dashboard\tgrafana-dashboards/gw-latency.json\t"), manifest);
        assertTrue(manifest.contains("prometheus-snapshot\tprometheus-snapshot.tar\t"), manifest);
        assertTrue(manifest.contains("config\tconfig.tar.gz\t"), manifest);
        assertTrue(sh(dir, "tar", "--list", "--gzip", "--file", "config.tar.gz").contains(configDir.resolve("binary.bin").toString()));

        // nothing written is readable by others
        assertPrivate(backupRoot);
        assertNoSecretIn(backup);

        // the live system moves on: other values, and Grafana loses its dashboards
        List<JsonNode> before = new ArrayList<>();
        for (String uid : grafana.uids()) {
            before.add(comparable(grafana.get(uid)));
        }
        for (String s : ORIGINAL.keySet()) {
            prometheus.exporter().setGauge(METRIC, Map.of("series", s), 99);
        }
        prometheus.awaitValue("min(" + METRIC + ")", v -> v == 99);
        grafana.clear();

        int port = freePort();
        ShippedRun.Result restore = ShippedRun.run(tmp.resolve("state-restore"), "monitoring-restore-test", restoreVars(port));
        assertEquals(ExitCodes.OK, restore.code(), restore.describe());

        // dashboards are back, the same apart from the id and version Grafana assigns
        assertEquals(3, grafana.uids().size());
        List<JsonNode> after = new ArrayList<>();
        for (String uid : grafana.uids()) {
            after.add(comparable(grafana.get(uid)));
        }
        assertEquals(before, after);

        // the scratch Prometheus answered with the values at backup time, not the live 99s
        RunEvent.StepFinished query = restore.step("prometheus.query");
        assertEquals(ORIGINAL, seriesValues(query.result().get("series")), restore.describe());
        assertFalse(listening(port), "the scratch Prometheus is still running on port " + port);
        assertTrue(restore.step("config.compare").result().get("stdout").toString().contains("2 files identical"));
        assertNoSecretIn(restore);
        System.out.printf("monitoring-backup: %d ms, monitoring-restore-test: %d ms (backup %d KiB)%n", backup.elapsed().toMillis(),
                restore.elapsed().toMillis(), du(dir) / 1024);

        // a tampered file fails the restore test before anything is restored, naming the file
        Path victim = dir.resolve("grafana-dashboards/prom-self.json");
        Files.writeString(victim, Files.readString(victim).replace("Prometheus self", "Prometheus s3lf"));
        grafana.clear();
        ShippedRun.Result tampered = ShippedRun.run(tmp.resolve("state-tampered"), "monitoring-restore-test", restoreVars(freePort()));
        assertNotEquals(ExitCodes.OK, tampered.code());
        RunEvent.StepFinished verify = tampered.step("backup.verify-checksums");
        assertTrue(verify.result().get("stderr").toString().contains("grafana-dashboards/prom-self.json"), tampered.describe());
        assertTrue(grafana.uids().isEmpty(), "a tampered backup was imported");
    }

    @Test
    void aWrongGrafanaTokenFailsTheBackupWithTheStatusAndDeletesNothing() throws Exception {
        Path old = Files.createDirectories(backupRoot.resolve("20200101-000000"));
        Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.fromMillis(0));
        List<String> vars = new ArrayList<>(backupVars());
        vars.replaceAll(v -> v.startsWith("grafana_token=") ? "grafana_token=wrong-token-123" : v);
        vars.add("keep_at_least=0");
        ShippedRun.Result r = ShippedRun.run(tmp.resolve("state"), "monitoring-backup", vars);
        assertEquals(ExitCodes.FAILED, r.code(), r.describe());
        assertTrue(r.step("grafana.export").result().get("stderr").toString().contains("401"), r.describe());
        assertTrue(Files.isDirectory(old), "retention ran although the backup failed");
    }

    @Test
    void basicAuthIsTheAlternativeToAToken() throws Exception {
        List<String> vars = new ArrayList<>(backupVars());
        vars.removeIf(v -> v.startsWith("grafana_token="));
        vars.add("grafana_user=" + GrafanaStandIn.USER);
        ShippedRun.Result r = ShippedRun.run(tmp.resolve("state"), "monitoring-backup", vars,
                Map.of("GRAFANA_PASSWORD", GrafanaStandIn.PASSWORD));
        assertEquals(ExitCodes.OK, r.code(), r.describe());
        try (Stream<Path> files = Files.list(onlyBackup().resolve("grafana-dashboards"))) {
            assertEquals(3, files.count());
        }
        assertFalse(r.journal().contains(GrafanaStandIn.PASSWORD));
    }

    @Test
    void theInPlaceRestoreRefusesWithoutConfirmationThenRestoresSavingWhatItReplaces() throws Exception {
        ShippedRun.Result backup = ShippedRun.run(tmp.resolve("state-backup"), "monitoring-backup", backupVars());
        assertEquals(ExitCodes.OK, backup.code(), backup.describe());
        String name = onlyBackup().getFileName().toString();
        Path conf = configDir.resolve("10-flatnet.conflist");
        String original = Files.readString(conf);
        Files.writeString(conf, "{\"broken\": true}\n");
        grafana.clear();
        grafana.add("stray", "Added after the backup", "", 1);
        List<String> vars = new ArrayList<>(List.of("backup_root=" + backupRoot, "config_dirs=" + configDir, "grafana_url=" + grafana.url(),
                "grafana_token=" + TOKEN, "components=config,grafana"));

        ShippedRun.Result refused = ShippedRun.run(tmp.resolve("state-refused"), "monitoring-restore", vars);
        assertEquals(ExitCodes.FAILED, refused.code());
        assertTrue(refused.step("confirm").result().get("stderr").toString().contains("-e in_place=true -e confirm=" + name));
        assertEquals("{\"broken\": true}\n", Files.readString(conf), "a refused restore changed the config");

        vars.addAll(List.of("in_place=true", "confirm=" + name));
        ShippedRun.Result done = ShippedRun.run(tmp.resolve("state-restore"), "monitoring-restore", vars);
        assertEquals(ExitCodes.OK, done.code(), done.describe());
        assertEquals(original, Files.readString(conf));
        assertTrue(grafana.uids().containsAll(List.of("node-exporter", "gw-latency", "prom-self")), grafana.uids().toString());
        Path saved;
        try (Stream<Path> dirs = Files.list(backupRoot)) {
            saved = dirs.filter(p -> p.getFileName().toString().startsWith("pre-restore-")).findFirst().orElseThrow();
        }
        assertTrue(Files.exists(saved.resolve("grafana-dashboards/stray.json")), "the replaced dashboards were not saved");
        assertTrue(sh(saved, "tar", "--extract", "--to-stdout", "--gzip", "--absolute-names", "--file", "config.tar.gz",
                conf.toString()).contains("broken"), "the replaced config was not saved");
        assertNoSecretIn(done);
    }

    /** The token never reaches the journal, an event (what the console prints) or a file of the backup. */
    private void assertNoSecretIn(ShippedRun.Result r) throws IOException {
        assertFalse(r.journal().isEmpty());
        assertFalse(r.journal().contains(TOKEN), "token in the journal");
        assertFalse(r.describe().contains(TOKEN), "token in an event");
        try (Stream<Path> files = Files.walk(tmp)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertFalse(text.contains(TOKEN), "token in " + f);
            }
        }
    }

    private static void assertPrivate(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                var perms = Files.getPosixFilePermissions(p);
                assertFalse(perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.GROUP_READ),
                        p + " is readable by others: " + perms);
            }
        }
    }

    /** A dashboard as Grafana serves it, without what an import changes (id, version). */
    private static JsonNode comparable(JsonNode got) {
        ObjectNode d = (ObjectNode) got.get("dashboard").deepCopy();
        d.remove("id");
        d.remove("version");
        return d;
    }

    private static Map<String, Double> seriesValues(Object series) {
        Map<String, Double> out = new TreeMap<>();
        for (Object o : (List<?>) series) {
            Map<?, ?> s = (Map<?, ?>) o;
            out.put(String.valueOf(((Map<?, ?>) s.get("labels")).get("series")), ((Number) s.get("value")).doubleValue());
        }
        return out;
    }

    private static String sh(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + out);
        return out;
    }

    private static long du(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            long n = 0;
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                n += Files.size(p);
            }
            return n;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

}
