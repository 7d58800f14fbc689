package dev.opsctl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.opsctl.event.RunEvent;
import dev.opsctl.target.kube.MockCluster;
import dev.opsctl.target.kube.PlayedController;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations manual's deploy, canary and rollback runbooks (runbooks/k8s/), run end to end through the
 * app layer against fabric8's mock server in CRUD mode, with {@link PlayedController} doing what the
 * Deployment controller and the kubelet would: new ReplicaSets and revisions, pods, rollout status.
 */
class K8sRunbooksTest {
    static final String REPO = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/medical-ai-api:";
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    @TempDir
    Path tmp;

    private MockCluster k;
    private PlayedController controller;
    private HttpServer prometheus;
    private volatile String errorRate = "0.002";

    @BeforeAll
    static void quiet() {
        MOCK_LOG.setLevel(Level.WARNING);
    }

    @BeforeEach
    void setUp() throws Exception {
        k = new MockCluster();
        controller = new PlayedController(k.fabric8, "app", Duration.ofMillis(800));
        Deployment d = new DeploymentBuilder().withNewMetadata().withName("api-server").withNamespace("app").withLabels(Map.of("app", "api-server"))
                .endMetadata().withNewSpec().withReplicas(3).withNewSelector().withMatchLabels(Map.of("app", "api-server")).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "api-server")).endMetadata()
                .withNewSpec().addNewContainer().withName("api").withImage(REPO + "1.2.3").endContainer().endSpec().endTemplate()
                .endSpec().build();
        k.fabric8.apps().deployments().inNamespace("app").resource(d).create();
        settled("1");
        prometheus = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        prometheus.createContext("/", ex -> {
            byte[] body = ("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1700000000,\""
                    + errorRate + "\"]}]}}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        prometheus.start();
    }

    @AfterEach
    void tearDown() {
        prometheus.stop(0);
        controller.close();
        k.close();
    }

    /** Waits until the controller has given api-server {@code revision} and reported it available. */
    private void settled(String revision) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            Deployment d = main();
            if (d.getMetadata().getAnnotations() != null && revision.equals(d.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"))
                    && d.getStatus() != null && Integer.valueOf(3).equals(d.getStatus().getAvailableReplicas())) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("the played controller did not settle on revision " + revision + ": " + main() + " " + controller.lastError());
    }

    private Deployment main() {
        return k.fabric8.apps().deployments().inNamespace("app").withName("api-server").get();
    }

    private String image() {
        return main().getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    private ClusterRun.Result run(String runbook, String... params) throws Exception {
        return ClusterRun.run(tmp.resolve("state"), k, runbook, List.of(params), List.of());
    }

    @Test
    void deploySetsTheImageWatchesTheRolloutAndShowsTheHistory() throws Exception {
        ClusterRun.Result r = run("deploy", "image=" + REPO + "1.2.4");
        assertEquals(0, r.code(), r.describe());
        assertEquals(REPO + "1.2.4", image());
        RunEvent.StepFinished status = r.step("rollout-status");
        assertTrue(status.message().startsWith("deployment 'api-server' in namespace 'app' successfully rolled out (3 of 3 available, revision 2)"),
                status.message());
        RunEvent.StepFinished history = r.step("history");
        assertEquals(2L, history.result().get("count"), history.toString());
        assertEquals(2L, history.result().get("revision"));
        assertTrue(history.result().get("stdout").toString().contains("2*  <none>  " + REPO + "1.2.4"), history.result().toString());
        assertFalse(r.ran("rb-undo"));
    }

    @Test
    void aRolloutThatNeverBecomesAvailableIsUndoneAndExits3() throws Exception {
        controller.broken(REPO + "1.2.4");
        ClusterRun.Result r = run("deploy", "image=" + REPO + "1.2.4");
        assertEquals(3, r.code(), r.describe());
        assertEquals("failed", r.step("rollout-status").outcome());
        assertTrue(r.step("rollout-status").message().contains("ProgressDeadlineExceeded"), r.step("rollout-status").message());
        assertEquals("rollout-failed", r.events().of(RunEvent.TriggerFired.class).get(0).trigger());
        RunEvent.StepFinished undo = r.step("rb-undo");
        assertEquals("changed", undo.outcome(), undo.message());
        assertEquals("deployment 'api-server' in namespace 'app' rolled back from revision 2 to 1 (" + REPO + "1.2.3)", undo.message());
        assertEquals("ok", r.step("rb-status").outcome(), r.step("rb-status").message());
        assertEquals(REPO + "1.2.3", image());
        assertFalse(r.ran("history"), "the deploy's own history step is not reached");
    }

    @Test
    void rollbackGoesToTheGivenRevisionOrElseThePreviousOne() throws Exception {
        assertEquals(0, run("deploy", "image=" + REPO + "1.2.4").code());
        assertEquals(0, run("deploy", "image=" + REPO + "1.2.5").code());
        ClusterRun.Result toOne = run("rollback", "revision=1");
        assertEquals(0, toOne.code(), toOne.describe());
        assertEquals(3L, toOne.step("history-before").result().get("count"));
        assertEquals(REPO + "1.2.3", image());
        assertEquals("ok", toOne.step("status").outcome(), toOne.step("status").message());
        assertEquals(4L, toOne.step("history-after").result().get("revision"), "the controller gives the restored template the next revision");
        ClusterRun.Result previous = run("rollback");
        assertEquals(0, previous.code(), previous.describe());
        assertEquals(REPO + "1.2.5", image(), "revision 0 is the one before the current (revision 3, 1.2.5)");
        ClusterRun.Result unknown = run("rollback", "revision=9");
        assertEquals(1, unknown.code());
        assertTrue(unknown.step("undo").message().startsWith("revision 9 of deployment 'api-server' in namespace 'app' not found"),
                unknown.step("undo").message());
    }

    private String[] canary(String... more) {
        List<String> p = new java.util.ArrayList<>(List.of("image=" + REPO + "1.2.4", "canary_watch=1s",
                "prometheus_url=http://127.0.0.1:" + prometheus.getAddress().getPort()));
        p.addAll(List.of(more));
        return p.toArray(String[]::new);
    }

    @Test
    void aHealthyCanaryIsPromotedAndRemoved() throws Exception {
        ClusterRun.Result r = run("canary", canary());
        assertEquals(0, r.code(), r.describe());
        assertEquals(1L, r.step("canary-pods").result().get("ready"));
        assertEquals(4L, r.step("traffic").result().get("count"), "3 main pods and the canary behind app=api-server");
        assertEquals("ok", r.step("canary-error-rate").outcome(), r.step("canary-error-rate").message());
        assertEquals("changed", r.step("promote").outcome());
        assertEquals(REPO + "1.2.4", image());
        assertEquals("changed", r.step("remove-canary").outcome(), r.step("remove-canary").message());
        assertNull(k.fabric8.apps().deployments().inNamespace("app").withName("api-server-canary").get(), "the canary is removed after the promotion");
    }

    @Test
    void aCanaryWithTooMany5xxIsRemovedAndTheMainDeploymentLeftAlone() throws Exception {
        errorRate = "0.05";
        ClusterRun.Result r = run("canary", canary());
        assertEquals(3, r.code(), r.describe());
        assertEquals("failed", r.step("canary-error-rate").outcome());
        assertEquals("canary-error-rate", r.events().of(RunEvent.TriggerFired.class).get(0).trigger());
        assertFalse(r.ran("promote"));
        assertEquals("changed", r.step("rb-remove-canary").outcome());
        assertFalse(r.ran("rb-undo-main"), "the main Deployment was not touched, so it is not undone");
        assertNull(k.fabric8.apps().deployments().inNamespace("app").withName("api-server-canary").get());
        assertEquals(REPO + "1.2.3", image());
        assertEquals("1", main().getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"));
    }

    @Test
    void aCanaryThatNeverBecomesReadyIsRemoved() throws Exception {
        controller.broken(REPO + "1.2.4");
        ClusterRun.Result r = run("canary", canary());
        assertEquals(3, r.code(), r.describe());
        assertEquals("canary-not-available", r.events().of(RunEvent.TriggerFired.class).get(0).trigger());
        assertNull(k.fabric8.apps().deployments().inNamespace("app").withName("api-server-canary").get());
        assertEquals(REPO + "1.2.3", image());
    }
}
