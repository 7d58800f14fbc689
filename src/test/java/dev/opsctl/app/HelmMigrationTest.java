package dev.opsctl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.event.RunEvent;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped Helm migration runbooks (seeds/002) end to end through the app layer, against fabric8's
 * mock API server in CRUD mode: the test chart is rendered by real Helm and applied through the
 * Kubernetes API ({@code helm_via=kube}), {@link dev.opsctl.target.kube.PlayedController} marks Deployments rolled out and
 * starts their pods, exec answers come from expectations, Prometheus is {@link FakeMonitoring}.
 */
class HelmMigrationTest {
    /** The document's health check loop, as blue-green.yaml renders it with health_checks=2, health_interval=1s. */
    static final String HEALTH_LOOP = "n=2; fails=0; i=1; while [ $i -le $n ]; do if curl -fsS -o /dev/null http://localhost:3000/health; "
            + "then echo \"attempt $i/$n OK\"; else echo \"attempt $i/$n FAIL\"; fails=$((fails+1)); fi; [ $i -lt $n ] && sleep 1; "
            + "i=$((i+1)); done; echo \"$fails of $n failed\"; [ $fails -le 0 ]";
    static final List<String> FAST_HEALTH = List.of("health_checks=2", "health_interval=1s");

    @TempDir
    Path tmp;

    private HelmMigrationRun c;

    @BeforeEach
    void setUp() throws Exception {
        c = new HelmMigrationRun(tmp.resolve("state")).withKustomizeEnvironment();
    }

    @AfterEach
    void tearDown() {
        c.close();
    }

    private Ingress ingress(String name) {
        return c.k.fabric8.network().v1().ingresses().inNamespace("prod").withName(name).get();
    }

    private static List<String> backends(Ingress i) {
        return i.getSpec().getRules().get(0).getHttp().getPaths().stream().map(p -> p.getBackend()).map(IngressBackend::getService)
                .map(s -> s.getName() + ":" + s.getPort().getNumber()).toList();
    }

    private Integer replicas(String deployment) {
        var d = c.k.fabric8.apps().deployments().inNamespace("prod").withName(deployment).get();
        return d == null ? null : d.getSpec().getReplicas();
    }

    private static String finish(ShippedRun.Result r) {
        List<RunEvent.RunFinished> f = r.events().of(RunEvent.RunFinished.class);
        return f.isEmpty() ? "" : f.get(f.size() - 1).message();
    }

    @Test
    void blueGreenSwitchesTheIngressToTheNewServicesAndDeletesTheOldOnes() throws Exception {
        c.execAnswers(HelmMigrationRun.firstPod("mastodon-helm-web"), "web", List.of("sh", "-c", HEALTH_LOOP), 0, "attempt 1/2 OK\nattempt 2/2 OK\n0 of 2 failed");
        String before = c.k.fabric8.getKubernetesSerialization().asJson(ingress("mastodon").getSpec());
        Path backups = tmp.resolve("backup");   // HelmMigrationRun's backup_dir: beside the state directory

        ShippedRun.Result r = c.run("helm-migration/blue-green", FAST_HEALTH, List.of("delete-old"));

        assertEquals(0, r.code(), r.describe());
        assertNull(ingress("mastodon"), "the Kustomize Ingress is gone");
        Ingress now = ingress("mastodon-helm");
        assertEquals(List.of("mastodon-helm-web:3000", "mastodon-helm-streaming:4000"), backends(now));
        assertEquals("ykzts-technology-ip", now.getMetadata().getAnnotations().get("kubernetes.io/ingress.global-static-ip-name"));
        assertEquals("mastodon-certificate", now.getMetadata().getAnnotations().get("networking.gke.io/managed-certificates"));
        for (String old : List.of("mastodon-web", "mastodon-streaming", "mastodon-worker")) {
            assertNull(replicas(old), old + " deleted");
        }
        for (String svc : List.of("mastodon-web", "mastodon-streaming", "mastodon-assets", "mastodon-emoji")) {
            assertNull(c.k.fabric8.services().inNamespace("prod").withName(svc).get(), svc + " deleted");
        }
        assertEquals(2, replicas("mastodon-helm-web"), "the production values file is used");
        assertEquals("ghcr.io/mastodon/mastodon:v4.2.1", c.k.fabric8.apps().deployments().inNamespace("prod").withName("mastodon-helm-web")
                .get().getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        Path saved = backups.resolve("ingress-mastodon.json");
        assertTrue(Files.readString(saved).contains("\"spec\":" + before), Files.readString(saved));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(saved)));
        assertTrue(c.monitoring.queries.stream().anyMatch(q -> q.contains("code=~\"5..\"") && q.contains("namespace=\"prod\"")),
                "the 5xx trigger and the gate read Prometheus: " + c.monitoring.queries);
    }

    @Test
    void blueGreenRollsBackWhenTheNewReleaseFailsItsHealthCheck() throws Exception {
        c.execAnswers(HelmMigrationRun.firstPod("mastodon-helm-web"), "web", List.of("sh", "-c", HEALTH_LOOP), 1, "attempt 1/2 FAIL\nattempt 2/2 FAIL\n2 of 2 failed");
        Ingress original = ingress("mastodon");
        c.k.fabric8.apps().deployments().inNamespace("prod").withName("mastodon-worker").scale(1);

        ShippedRun.Result r = c.run("helm-migration/blue-green", FAST_HEALTH, List.of("delete-old"));

        assertEquals(3, r.code(), r.describe());
        String message = finish(r);
        assertTrue(message.contains("health-check"), message);
        assertScriptedAnswer(r, "health-check", 1, "2 of 2 failed");
        Ingress restored = ingress("mastodon");
        assertNotNull(restored, "the Kustomize Ingress is back");
        var json = c.k.fabric8.getKubernetesSerialization();
        assertEquals(json.asJson(original.getSpec()), json.asJson(restored.getSpec()));
        assertEquals(original.getMetadata().getLabels(), restored.getMetadata().getLabels());
        assertEquals(original.getMetadata().getAnnotations(), restored.getMetadata().getAnnotations());
        assertNull(ingress("mastodon-helm"), "the new release's Ingress is out of the way");
        assertEquals(Map.of("mastodon-web", 3, "mastodon-streaming", 2, "mastodon-worker", 1),
                Map.of("mastodon-web", replicas("mastodon-web"), "mastodon-streaming", replicas("mastodon-streaming"),
                        "mastodon-worker", replicas("mastodon-worker")), "the old Deployments as they were");
        assertEquals("failed", r.step("health-check").outcome(), r.describe());
        assertTrue(r.events().of(RunEvent.RollbackFinished.class).stream().allMatch(RunEvent.RollbackFinished::succeeded), r.describe());
        assertEquals("ok", r.step("rb-restore-ingress").outcome(), r.describe());
    }

    @Test
    void blueGreenRollsBackWhenTheNewWebNeverComesUp() throws Exception {
        c.controllers.stuck("mastodon-helm-web");

        ShippedRun.Result r = c.run("helm-migration/blue-green", FAST_HEALTH, List.of());

        assertEquals(3, r.code(), r.describe());
        assertTrue(finish(r).contains("wait-new-web"), finish(r));
        assertTrue(finish(r).contains("ProgressDeadlineExceeded") || r.describe().contains("ProgressDeadlineExceeded"), r.describe());
        assertNotNull(ingress("mastodon"));
        assertEquals(3, replicas("mastodon-web"));
    }

    @Test
    void fullRollbackUninstallsTheReleaseAndReappliesTheKustomizeOverlay() throws Exception {
        c.execAnswers(HelmMigrationRun.firstPod("mastodon-helm-web"), "web", List.of("sh", "-c", HEALTH_LOOP), 0, "ok");
        assertEquals(0, c.run("helm-migration/blue-green", FAST_HEALTH, List.of("delete-old")).code());

        ShippedRun.Result r = c.run("helm-migration/blue-green-full-rollback", List.of(
                "kustomize_build=cat " + HelmMigrationRun.RESOURCES.resolve("kustomize-production.yaml"),
                "extra_manifests=" + HelmMigrationRun.RESOURCES.resolve("hpa.yaml")), List.of());

        assertEquals(0, r.code(), r.describe());
        assertNull(replicas("mastodon-helm-web"), "the release is uninstalled");
        assertNull(ingress("mastodon-helm"));
        assertEquals(List.of("mastodon-web:3000", "mastodon-streaming:4000"), backends(ingress("mastodon")));
        assertEquals(3, replicas("mastodon-web"));
        assertNotNull(c.k.fabric8.autoscaling().v2().horizontalPodAutoscalers().inNamespace("prod").withName("mastodon-web").get());
    }

    @Test
    void rollingMovesSidekiqThenStreamingThenWebEachVerifiedBeforeTheNext() throws Exception {
        c.execAnswers(HelmMigrationRun.firstPod("mastodon-sidekiq-streaming"), "streaming", List.of("curl", "-f", "http://localhost:4000/api/v1/streaming/health"), 0, "OK");
        c.execAnswers(HelmMigrationRun.firstPod("mastodon-sidekiq-web"), "web", List.of("curl", "-f", "http://localhost:3000/health"), 0, "OK");

        ShippedRun.Result r = c.run("helm-migration/rolling", List.of("sidekiq_check=1s", "streaming_check=1s", "final_check=1s"),
                List.of("delete-old"));

        assertEquals(0, r.code(), r.describe());
        List<String> t = c.controllers.timeline();
        int workerDown = t.indexOf("down mastodon-worker");
        int sidekiqUp = t.indexOf("up mastodon-sidekiq-sidekiq");
        int streamingDown = t.indexOf("down mastodon-streaming");
        int streamingUp = t.indexOf("up mastodon-sidekiq-streaming");
        int webDown = t.indexOf("down mastodon-web");
        int webUp = t.indexOf("up mastodon-sidekiq-web");
        assertTrue(workerDown >= 0 && workerDown < sidekiqUp && sidekiqUp < streamingDown && streamingDown < streamingUp
                && streamingUp < webDown && webDown < webUp, t.toString());
        List<String> order = r.events().of(RunEvent.StepFinished.class).stream().map(RunEvent.StepFinished::step).toList();
        assertTrue(order.indexOf("watch-sidekiq") < order.indexOf("stop-old-streaming")
                && order.indexOf("streaming-health") < order.indexOf("stop-old-web")
                && order.indexOf("web-health") < order.indexOf("delete-old-ingress"), order.toString());
        assertEquals(List.of("mastodon-sidekiq-web:3000", "mastodon-sidekiq-streaming:4000"), backends(ingress("mastodon-sidekiq")));
        assertNull(ingress("mastodon"));
    }

    @Test
    void rollingRollsBackWhenTheNewStreamingFailsItsCheck() throws Exception {
        c.execAnswers(HelmMigrationRun.firstPod("mastodon-sidekiq-streaming"), "streaming", List.of("curl", "-f", "http://localhost:4000/api/v1/streaming/health"), 22,
                "curl: (22) The requested URL returned error: 503");

        ShippedRun.Result r = c.run("helm-migration/rolling", List.of("sidekiq_check=1s", "streaming_check=1s", "final_check=1s"), List.of());

        assertEquals(3, r.code(), r.describe());
        assertTrue(finish(r).contains("streaming-health"), finish(r));
        assertScriptedAnswer(r, "streaming-health", 22, "returned error: 503");
        assertEquals(List.of(3, 2, 2), List.of(replicas("mastodon-web"), replicas("mastodon-streaming"), replicas("mastodon-worker")));
        assertNull(replicas("mastodon-sidekiq-sidekiq"), "the new release is uninstalled");
        assertEquals(List.of("mastodon-web:3000", "mastodon-streaming:4000"), backends(ingress("mastodon")));
    }

    @Test
    void maintenanceModeShowsTheMaintenancePageThenSwitchesToTheNewRelease() throws Exception {
        c.execAnswers(HelmMigrationRun.firstPod("mastodon-v4-web"), "web", List.of("curl", "-f", "http://localhost:3000/health"), 0, "OK");
        c.execAnswers(HelmMigrationRun.firstPod("mastodon-v4-web"), "web", List.of("bundle", "exec", "rails", "db:version"), 0, "Current version: 20240101000000");
        Path marker = tmp.resolve("db-backup");
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        var watch = c.k.fabric8.network().v1().ingresses().inNamespace("prod").withName("mastodon").watch(new io.fabric8.kubernetes.client.Watcher<Ingress>() {
            @Override
            public void eventReceived(Action action, Ingress i) {
                seen.add(action + " " + (action == Action.DELETED ? "" : backends(i).get(0)));
            }

            @Override
            public void onClose(io.fabric8.kubernetes.client.WatcherException e) {}
        });
        ShippedRun.Result r;
        try {
            r = c.run("helm-migration/maintenance-mode", List.of("release=mastodon-v4", "db_backup_cmd=touch " + marker,
                    "access_url=" + c.monitoring.url() + "/health"), List.of("delete-old"));
        } finally {
            watch.close();
        }

        assertEquals(0, r.code(), r.describe());
        assertTrue(seen.contains("MODIFIED maintenance-page:80"), seen.toString());
        assertTrue(seen.indexOf("MODIFIED maintenance-page:80") < seen.indexOf("DELETED "), seen.toString());
        assertTrue(Files.exists(marker), "the database backup hook ran");
        assertEquals(List.of("mastodon-v4-web:3000", "mastodon-v4-streaming:4000"), backends(ingress("mastodon-v4")));
        assertNull(ingress("mastodon"));
        assertNull(replicas("maintenance-page"), "the maintenance page is removed");
        assertNull(c.k.fabric8.configMaps().inNamespace("prod").withName("maintenance-html").get());
        assertNull(replicas("mastodon-web"));
    }

    @Test
    void maintenanceModeRefusesAReleaseWhoseNamesTheKustomizeObjectsHoldBeforeChangingAnything() throws Exception {
        ShippedRun.Result r = c.run("helm-migration/maintenance-mode", List.of(), List.of());

        assertEquals(1, r.code(), r.describe());
        assertEquals("failed", r.step("check-name-free").outcome(), r.describe());
        assertEquals(List.of("mastodon-web:3000", "mastodon-streaming:4000"), backends(ingress("mastodon")));
        assertNull(replicas("maintenance-page"));
        assertEquals(3, replicas("mastodon-web"));
    }

    @Test
    void maintenanceModeRollsBackCleanlyWhenTheMaintenancePageNeverComesUp() throws Exception {
        c.controllers.stuck("maintenance-page");

        ShippedRun.Result r = c.run("helm-migration/maintenance-mode", List.of("release=mastodon-v4"), List.of());

        assertEquals(3, r.code(), r.describe());
        assertEquals("failed", r.step("wait-maintenance-page").outcome(), r.describe());
        assertTrue(r.events().of(RunEvent.RollbackFinished.class).stream().allMatch(RunEvent.RollbackFinished::succeeded), r.describe());
        assertEquals("skipped", r.step("rb-restore-ingress").outcome(), "the Ingress was never backed up nor changed: " + r.describe());
        assertEquals(List.of("mastodon-web:3000", "mastodon-streaming:4000"), backends(ingress("mastodon")));
        assertEquals(3, replicas("mastodon-web"));
        assertNull(replicas("maintenance-page"), "the maintenance page is removed");
    }

    /** The step failed because the pod answered as scripted, not because no pod of that name answered at all. */
    private static void assertScriptedAnswer(ShippedRun.Result r, String step, int rc, String output) {
        RunEvent.StepFinished f = r.step(step);
        assertEquals(rc, f.rc(), r.describe());
        assertTrue(String.valueOf(f.result().get("stdout")).contains(output) || String.valueOf(f.result().get("stderr")).contains(output),
                r.describe());
    }
}
