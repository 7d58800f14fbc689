package dev.opsctl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.kube.MockCluster;
import dev.opsctl.target.kube.PlayedController;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
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
 * The troubleshooting playbooks of runbooks/k8s/troubleshoot/ (seeds/001 section 6.1) on pods whose status the
 * test writes as the kubelet and the scheduler would: each names its own symptom, and on a pod with another
 * symptom says it is not its own and which playbook to run instead.
 */
class K8sTroubleshootTest {
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");
    private static final String IMAGE = K8sRunbooksTest.REPO + "1.2.3";

    @TempDir
    Path tmp;

    private MockCluster k;
    private PlayedController controller;

    @BeforeAll
    static void quiet() {
        MOCK_LOG.setLevel(Level.WARNING);
    }

    @BeforeEach
    void setUp() {
        k = new MockCluster();
        imagePullBackOff("api-pull");
        crashLoop("api-crash");
        unschedulable("api-pending");
    }

    @AfterEach
    void tearDown() {
        if (controller != null) {
            controller.close();
        }
        k.close();
    }

    private ClusterRun.Result run(String playbook, List<String> params, List<String> confirms) throws Exception {
        return ClusterRun.run(tmp.resolve("state"), k, "troubleshoot/" + playbook, params, confirms);
    }

    private ClusterRun.Result run(String playbook, String pod) throws Exception {
        return run(playbook, List.of("pod=" + pod), List.of());
    }

    private static PodBuilder pod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("app").withLabels(Map.of("app", "api-server")).endMetadata()
                .withNewSpec().addNewContainer().withName("api").withImage(IMAGE).withNewResources()
                .withRequests(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("1Gi")))
                .withLimits(Map.of("cpu", new Quantity("1000m"), "memory", new Quantity("2Gi"))).endResources().endContainer().endSpec();
    }

    private void create(Pod p) {
        k.fabric8.pods().inNamespace("app").resource(p).create();
    }

    private void event(String pod, int n, String type, String reason, String message) {
        k.fabric8.v1().events().inNamespace("app").resource(new EventBuilder().withNewMetadata().withName(pod + "." + n).withNamespace("app")
                .endMetadata().withNewInvolvedObject().withKind("Pod").withName(pod).withNamespace("app").endInvolvedObject()
                .withType(type).withReason(reason).withMessage(message).withLastTimestamp("2026-11-22T02:0" + n + ":00Z").build()).create();
    }

    private void imagePullBackOff(String name) {
        create(pod(name).editSpec().editFirstContainer().withImage(K8sRunbooksTest.REPO + "9.9.9").endContainer().endSpec()
                .withNewStatus().withPhase("Pending")
                .withConditions(new PodConditionBuilder().withType("PodScheduled").withStatus("True").build())
                .withContainerStatuses(new ContainerStatusBuilder().withName("api").withRestartCount(0).withNewState().withNewWaiting()
                        .withReason("ImagePullBackOff").withMessage("Back-off pulling image").endWaiting().endState().build())
                .endStatus().build());
        // written out of order: the playbook shows them oldest first
        event(name, 3, "Warning", "Failed", "Failed to pull image \"" + K8sRunbooksTest.REPO + "9.9.9\": rpc error: code = NotFound desc = "
                + K8sRunbooksTest.REPO + "9.9.9: not found");
        event(name, 1, "Normal", "Scheduled", "Successfully assigned app/" + name + " to fargate-ip-10-0-1-23");
        event(name, 2, "Normal", "Pulling", "Pulling image \"" + K8sRunbooksTest.REPO + "9.9.9\"");
        event(name, 4, "Normal", "BackOff", "Back-off pulling image");
    }

    /** CrashLoopBackOff after the application exited 1 (or, with oom, after it was OOMKilled). */
    private Pod crashLoopPod(String name, boolean oom) {
        return pod(name).withNewStatus().withPhase("Running")
                .withConditions(new PodConditionBuilder().withType("PodScheduled").withStatus("True").build(),
                        new PodConditionBuilder().withType("Ready").withStatus("False").build())
                .withContainerStatuses(new ContainerStatusBuilder().withName("api").withRestartCount(5).withNewState().withNewWaiting()
                        .withReason("CrashLoopBackOff").withMessage("back-off 2m40s restarting failed container").endWaiting().endState()
                        .withNewLastState().withNewTerminated().withReason(oom ? "OOMKilled" : "Error").withExitCode(oom ? 137 : 1).endTerminated()
                        .endLastState().build())
                .endStatus().build();
    }

    private void crashLoop(String name) {
        create(crashLoopPod(name, false));
        event(name, 1, "Normal", "Pulled", "Container image \"" + IMAGE + "\" already present on machine");
        event(name, 2, "Warning", "BackOff", "Back-off restarting failed container api in pod " + name);
        k.server.expect().get().withPath("/api/v1/namespaces/app/pods/" + name + "/log?pretty=false&previous=true&tailLines=50")
                .andReturn(200, "INFO starting uvicorn\nERROR DATABASE_URL is not set\n").always();
    }

    private void unschedulable(String name) {
        create(pod(name).withNewStatus().withPhase("Pending")
                .withConditions(new PodConditionBuilder().withType("PodScheduled").withStatus("False").withReason("Unschedulable")
                        .withMessage("0/2 nodes are available: 2 Insufficient memory.").build())
                .endStatus().build());
        event(name, 1, "Warning", "FailedScheduling", "0/2 nodes are available: 2 Insufficient memory. preemption: 0/2 nodes are available");
    }

    @Test
    void imagePullBackOffNamesTheMissingTagFromTheKubeletsEvent() throws Exception {
        ClusterRun.Result r = run("image-pull-backoff", "api-pull");
        assertEquals(0, r.code(), r.describe());
        assertTrue(r.said("diagnosis: ImagePullBackOff: the image '" + K8sRunbooksTest.REPO + "9.9.9' cannot be pulled"), r.notices().toString());
        assertTrue(r.said("the tag does not exist in the registry"), r.notices().toString());
        assertFalse(r.said("the registry refused the credentials"), r.notices().toString());
        String events = r.step("evidence.events").result().get("stdout").toString();
        assertTrue(events.indexOf("Scheduled") < events.indexOf("Pulling") && events.indexOf("Pulling") < events.indexOf("Failed"),
                "events oldest first: " + events);
        assertFalse(r.ran("evidence.previous-log"), "the container never ran: no log to read");
    }

    @Test
    void crashLoopBackOffShowsTheCrashedInstancesLogAndTheExitCode() throws Exception {
        ClusterRun.Result r = run("crash-loop-backoff", "api-crash");
        assertEquals(0, r.code(), r.describe());
        assertTrue(r.said("diagnosis: CrashLoopBackOff: the container starts and exits again (アプリ起動失敗): last termination 'Error', exit code 1, 5 restarts"),
                r.notices().toString());
        assertTrue(r.said("the application exits at start with exit code 1"), r.notices().toString());
        assertTrue(r.notices().stream().anyMatch(n -> n.contains("ERROR DATABASE_URL is not set")), r.notices().toString());
        assertFalse(r.said("pod 'api-crash' was OOMKilled"), r.notices().toString());
    }

    @Test
    void pendingNamesTheSchedulersReasonAndTheRequests() throws Exception {
        ClusterRun.Result r = run("pending", "api-pending");
        assertEquals(0, r.code(), r.describe());
        String diagnosis = r.notices().stream().filter(n -> n.contains("diagnosis: Pending")).findFirst().orElseThrow(() -> new AssertionError(r.notices()));
        assertTrue(diagnosis.contains("0/2 nodes are available: 2 Insufficient memory."), diagnosis);
        assertTrue(diagnosis.contains("\"memory\":\"1Gi\""), diagnosis);
        assertTrue(diagnosis.contains("add nodes (ノード追加"), diagnosis);
    }

    @Test
    void theOomPlaybookOnACrashLoopFromExit1SaysItIsNotOomAndPointsToTheCrashLoopPlaybook() throws Exception {
        ClusterRun.Result r = run("oom-killed", "api-crash");
        assertEquals(0, r.code(), r.describe());
        assertTrue(r.said("not OOMKilled: pod 'api-crash' last terminated 'Error' (exit code '1')"), r.notices().toString());
        assertTrue(r.said("pod 'api-crash' shows CrashLoopBackOff: run runbooks/k8s/troubleshoot/crash-loop-backoff.yaml"), r.notices().toString());
        assertFalse(r.said("diagnosis: OOMKilled"), r.notices().toString());
        assertFalse(r.ran("raise-memory-limit"));
    }

    @Test
    void thePendingPlaybookOnAPodWaitingForItsImageSaysItIsScheduled() throws Exception {
        ClusterRun.Result r = run("pending", "api-pull");
        assertTrue(r.said("not a scheduling problem: pod 'api-pull' is Pending but scheduled; its containers wait: 'ImagePullBackOff'"),
                r.notices().toString());
        assertTrue(r.said("pod 'api-pull' shows ImagePullBackOff (ImagePullBackOff): run runbooks/k8s/troubleshoot/image-pull-backoff.yaml"),
                r.notices().toString());
        assertFalse(r.said("diagnosis: Pending"), r.notices().toString());
    }

    @Test
    void theImagePullPlaybookOnAnUnschedulablePodPointsToPending() throws Exception {
        ClusterRun.Result r = run("image-pull-backoff", "api-pending");
        assertTrue(r.said("not ImagePullBackOff: pod 'api-pending' is Pending"), r.notices().toString());
        assertTrue(r.said("pod 'api-pending' is Pending, not scheduled: run runbooks/k8s/troubleshoot/pending.yaml"), r.notices().toString());
        assertFalse(r.said("diagnosis: ImagePullBackOff"), r.notices().toString());
    }

    /** A Deployment with limits.memory 2Gi whose ReplicaSet (made by the played controller) owns an OOMKilled pod. */
    private void oomKilledPodOfADeployment() throws InterruptedException {
        controller = new PlayedController(k.fabric8, "app", Duration.ofSeconds(5));
        Deployment d = new DeploymentBuilder().withNewMetadata().withName("api-server").withNamespace("app").endMetadata()
                .withNewSpec().withReplicas(3).withNewSelector().withMatchLabels(Map.of("app", "api-server")).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "api-server")).endMetadata()
                .withNewSpec().addNewContainer().withName("api").withImage(IMAGE).withNewResources()
                .withLimits(Map.of("memory", new Quantity("2Gi"))).endResources().endContainer().endSpec().endTemplate().endSpec().build();
        k.fabric8.apps().deployments().inNamespace("app").resource(d).create();
        for (int i = 0; i < 200 && k.fabric8.apps().replicaSets().inNamespace("app").withName("api-server-1").get() == null; i++) {
            Thread.sleep(25);
        }
        String uid = k.fabric8.apps().replicaSets().inNamespace("app").withName("api-server-1").get().getMetadata().getUid();
        Pod p = crashLoopPod("api-server-1-oom", true);
        p.getMetadata().setOwnerReferences(List.of(new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder().withApiVersion("apps/v1")
                .withKind("ReplicaSet").withName("api-server-1").withUid(uid).withController(true).build()));
        create(p);
        event("api-server-1-oom", 1, "Warning", "BackOff", "Back-off restarting failed container api");
        k.server.expect().get().withPath("/api/v1/namespaces/app/pods/api-server-1-oom/log?pretty=false&previous=true&tailLines=50")
                .andReturn(200, "INFO loading model\n").always();
    }

    private String memoryLimit() {
        return k.fabric8.apps().deployments().inNamespace("app").withName("api-server").get().getSpec().getTemplate().getSpec()
                .getContainers().get(0).getResources().getLimits().get("memory").toString();
    }

    @Test
    void oomKilledIsDiagnosedAndTheLimitRaisedOnlyWhenConfirmed() throws Exception {
        oomKilledPodOfADeployment();
        ClusterRun.Result asked = run("oom-killed", List.of("pod=api-server-1-oom", "memory_limit=4Gi"), List.of());
        assertEquals(0, asked.code(), asked.describe());
        assertTrue(asked.said("diagnosis: OOMKilled: container 'api' used more memory than its limit '2Gi' and was killed (メモリ不足, exit code 137, 5 restarts)"),
                asked.notices().toString());
        assertFalse(asked.ran("patch-limit"), "not confirmed: nothing changes");
        assertEquals("2Gi", memoryLimit());

        ClusterRun.Result fixed = run("oom-killed", List.of("pod=api-server-1-oom", "memory_limit=4Gi"), List.of("raise-memory-limit"));
        assertEquals(0, fixed.code(), fixed.describe());
        assertEquals("api-server", fixed.step("deployment").result().get("value"));
        assertEquals("changed", fixed.step("patch-limit").outcome(), fixed.step("patch-limit").message());
        assertEquals("4Gi", memoryLimit());
        assertEquals(IMAGE, k.fabric8.apps().deployments().inNamespace("app").withName("api-server").get().getSpec().getTemplate().getSpec()
                .getContainers().get(0).getImage(), "the patch changes the limit and nothing else");
        assertEquals("ok", fixed.step("rollout").outcome(), fixed.step("rollout").message());
    }

    @Test
    void theCrashLoopPlaybookOnAnOomKilledPodPointsToTheOomPlaybook() throws Exception {
        oomKilledPodOfADeployment();
        ClusterRun.Result r = run("crash-loop-backoff", "api-server-1-oom");
        assertTrue(r.said("diagnosis: CrashLoopBackOff"), r.notices().toString());
        assertTrue(r.said("pod 'api-server-1-oom' was OOMKilled: run runbooks/k8s/troubleshoot/oom-killed.yaml"), r.notices().toString());
        assertFalse(r.said("the application exits at start"), r.notices().toString());
    }
}
