package dev.opsctl.target.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.TargetException;
import dev.opsctl.target.container.CommandResult;
import dev.opsctl.target.container.Container;
import dev.opsctl.target.container.ContainerBackend;
import dev.opsctl.target.container.ContainerRun;
import dev.opsctl.target.container.ContainerSpec;
import dev.opsctl.target.container.StopReport;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.server.mock.OutputStreamMessage;
import io.fabric8.kubernetes.client.server.mock.StatusStreamMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The container operations of the userns-remap runbook as pods in fabric8's mock (CRUD); tests play the kubelet. */
class KubeContainerBackendTest {
    private final MockCluster k = new MockCluster();
    private final ContainerBackend backend = new KubeContainerBackend(k.target, "prod", Duration.ofMillis(300), Clock.systemUTC());

    @AfterEach
    void tearDown() {
        k.close();
    }

    private void create(Pod p) {
        k.fabric8.pods().inNamespace("prod").resource(p).create();
    }

    private static Pod finished(String name, String app) {
        Pod p = MockCluster.pod(name, app);
        p.getStatus().setPhase("Succeeded");
        return p;
    }

    @Test
    void listsLivePodsByLabelWithTheMostTellingStateInDockersWords() throws Exception {
        create(MockCluster.pod("ws-1", "workspace"));
        Pod crashing = MockCluster.pod("ws-2", "workspace");
        crashing.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder().withName("app").withRestartCount(4)
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState().build()));
        create(crashing);
        create(finished("ws-0", "workspace"));
        create(MockCluster.pod("api-1", "api"));
        List<Container> live = backend.list(List.of("app=workspace"), false);
        assertEquals(List.of("ws-1", "ws-2"), live.stream().map(Container::id).toList());
        assertTrue(live.get(0).running());
        assertEquals("CrashLoopBackOff", live.get(1).state());
        assertEquals("api:1", live.get(0).image());
        assertEquals(Map.of("app", "workspace"), live.get(0).labels());
        assertEquals(List.of("ws-0", "ws-1", "ws-2"), backend.list(List.of("app=workspace"), true).stream().map(Container::name).toList());
        assertEquals(4, backend.list(List.of("app"), true).size(), "a bare key matches any value, as Docker's label filter does");
    }

    @Test
    void stopDeletesEachPodAndCountsFinishedOnesAsStopped() throws Exception {
        create(MockCluster.pod("ws-1", "workspace"));
        create(finished("ws-0", "workspace"));
        StopReport r = backend.stop(List.of("ws-1", "ws-0"), Duration.ofSeconds(5), true);
        assertEquals(List.of("ws-0", "ws-1"), r.stopped().stream().sorted().toList());
        assertTrue(r.complete());
        assertNull(k.fabric8.pods().inNamespace("prod").withName("ws-1").get());
    }

    @Test
    void stoppingAnUnknownPodNamesItAndTheNamespace() {
        TargetException e = assertThrows(TargetException.class, () -> backend.stop(List.of("ghost"), Duration.ofSeconds(1), true));
        assertEquals(TargetException.Kind.REMOTE_FAILED, e.kind());
        assertTrue(e.getMessage().contains("no pod 'ghost' in namespace 'prod'"), e.getMessage());
    }

    @Test
    void withoutForceAfterAPodThatOutlivesTheTimeoutIsReportedStillRunning() throws Exception {
        Pod stubborn = MockCluster.pod("ws-1", "workspace");
        stubborn.getMetadata().setFinalizers(List.of("example.com/hold"));
        create(stubborn);
        StopReport r = backend.stop(List.of("ws-1"), Duration.ofMillis(500), false);
        assertEquals(List.of("ws-1"), r.stillRunning());
        assertFalse(r.complete());
    }

    @Test
    void aRunIsANeverRestartedPodUnderTheRuntimeClassWhoseExitCodeAndLogsComeBack() throws Exception {
        k.server.expect().get().withPath("/api/v1/namespaces/prod/pods/verify-1/log?pretty=false&container=run")
                .andReturn(200, "uid=1000(appuser)\n").always();
        CompletableFuture<Pod> kubelet = finishWhenCreated("verify-1", "Succeeded", 0);
        ContainerSpec spec = new ContainerSpec("workspace-base:latest", List.of("id"), Optional.of("1000:1000"),
                Map.of("opsctl", "verify"), Optional.of("none"), Optional.of("verify-1"), true, false, Duration.ofSeconds(20),
                ContainerSpec.DEFAULT_MAX_OUTPUT).withRuntime("gvisor");
        ContainerRun r = backend.run(spec);
        Pod seen = kubelet.join();
        assertEquals(Optional.of(0), r.exitCode(), r.toString());
        assertEquals("uid=1000(appuser)\n", r.output());
        assertEquals("gvisor", seen.getSpec().getRuntimeClassName());
        assertEquals("Never", seen.getSpec().getRestartPolicy());
        assertEquals(List.of("id"), seen.getSpec().getContainers().get(0).getArgs(), "the command replaces CMD, as docker run's does");
        assertEquals(1000L, seen.getSpec().getSecurityContext().getRunAsUser());
        assertEquals(1000L, seen.getSpec().getSecurityContext().getRunAsGroup());
        assertEquals(Boolean.FALSE, seen.getSpec().getAutomountServiceAccountToken(), "network: none gets no API token");
        assertEquals("none", seen.getMetadata().getLabels().get("opsctl.dev/network"));
        assertEquals("verify", seen.getMetadata().getLabels().get("opsctl"));
        assertNull(k.fabric8.pods().inNamespace("prod").withName("verify-1").get(), "rm: the pod is deleted");
    }

    @Test
    void aFailedRunReportsTheContainersExitCode() throws Exception {
        k.server.expect().get().withPath("/api/v1/namespaces/prod/pods/verify-2/log?pretty=false&container=run")
                .andReturn(200, "id: unknown user\n").always();
        CompletableFuture<Pod> kubelet = finishWhenCreated("verify-2", "Failed", 3);
        ContainerRun r = backend.run(named("verify-2", Duration.ofSeconds(20)));
        kubelet.join();
        assertEquals(Optional.of(3), r.exitCode());
    }

    @Test
    void aRunThatOutlivesItsTimeoutIsKilledRemovedAndSaysWhereItStuck() throws Exception {
        k.server.expect().get().withPath("/api/v1/namespaces/prod/pods/verify-3/log?pretty=false&container=run")
                .andReturn(200, "").always();
        ContainerRun r = backend.run(named("verify-3", Duration.ofMillis(600)));
        assertTrue(r.timedOut());
        assertTrue(r.exitCode().isEmpty());
        assertTrue(r.output().contains("pod still"), r.output());
        assertNull(k.fabric8.pods().inNamespace("prod").withName("verify-3").get());
    }

    @Test
    void aDetachedRunLeavesThePodRunning() throws Exception {
        ContainerSpec spec = new ContainerSpec("workspace-base:latest", List.of("sleep", "30"), Optional.empty(), Map.of(),
                Optional.empty(), Optional.of("userns-verify"), true, true, Duration.ofSeconds(5), ContainerSpec.DEFAULT_MAX_OUTPUT);
        ContainerRun r = backend.run(spec);
        assertEquals("userns-verify", r.id());
        assertNotNull(k.fabric8.pods().inNamespace("prod").withName("userns-verify").get());
    }

    @Test
    void whatAPodCannotDoIsRefusedWithTheFix() {
        ContainerSpec host = new ContainerSpec("x", List.of(), Optional.empty(), Map.of(), Optional.of("host"), Optional.of("p"), true,
                false, Duration.ofSeconds(1), 100);
        TargetException e = assertThrows(TargetException.class, () -> backend.run(host));
        assertTrue(e.getMessage().contains("network 'host' has no meaning for a pod"), e.getMessage());
        ContainerSpec named = new ContainerSpec("x", List.of(), Optional.of("appuser"), Map.of(), Optional.empty(), Optional.of("p"),
                true, false, Duration.ofSeconds(1), 100);
        e = assertThrows(TargetException.class, () -> backend.run(named));
        assertTrue(e.getMessage().contains("user 'appuser' must be numeric for a pod"), e.getMessage());
    }

    @Test
    void execRunsInThePodAndANonZeroExitIsAResult() throws Exception {
        create(MockCluster.pod("ws-1", "workspace"));
        k.server.expect().get().withPath("/api/v1/namespaces/prod/pods/ws-1/exec?command=cat&command=%2Fproc%2F1%2Fuid_map&container=app&stdout=true&stderr=true")
                .andUpgradeToWebSocket().open(new OutputStreamMessage("0 100000 65536\n"), new StatusStreamMessage(0)).done().once();
        CommandResult r = backend.exec("ws-1", List.of("cat", "/proc/1/uid_map"), Duration.ofSeconds(10));
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("0 100000 65536\n", r.stdout());
    }

    @Test
    void describesTheNamespaceAndTheCluster() {
        assertTrue(backend.describe().startsWith("kubernetes namespace 'prod' (kube context 'mock'"), backend.describe());
    }

    private static ContainerSpec named(String name, Duration timeout) {
        return new ContainerSpec("workspace-base:latest", List.of("id"), Optional.empty(), Map.of(), Optional.empty(),
                Optional.of(name), true, false, timeout, ContainerSpec.DEFAULT_MAX_OUTPUT);
    }

    /** The kubelet's part: once the pod exists, its container terminates with {@code exit}; returns the pod as created. */
    private CompletableFuture<Pod> finishWhenCreated(String name, String phase, int exit) {
        return CompletableFuture.supplyAsync(() -> {
            Pod p = null;
            for (int i = 0; i < 200 && (p = k.fabric8.pods().inNamespace("prod").withName(name).get()) == null; i++) {
                pause(25);
            }
            assertNotNull(p, "the pod was never created");
            k.fabric8.pods().inNamespace("prod").withName(name).editStatus(x -> {
                x.setStatus(new PodStatusBuilder().withPhase(phase).withContainerStatuses(new ContainerStatusBuilder().withName("run")
                        .withNewState().withNewTerminated().withExitCode(exit).endTerminated().endState().build()).build());
                return x;
            });
            return p;
        });
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
