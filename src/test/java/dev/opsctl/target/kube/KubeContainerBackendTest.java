package dev.opsctl.target.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.ContainerBackend;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KubeContainerBackendTest {
    private final MockCluster k = new MockCluster();
    private final ContainerBackend backend = new KubeContainerBackend(k.target, "prod");

    @AfterEach
    void tearDown() {
        k.close();
    }

    @Test
    void listsPodsByLabelWithTheMostTellingState() throws Exception {
        k.fabric8.pods().inNamespace("prod").resource(MockCluster.pod("ws-1", "workspace")).create();
        var crashing = MockCluster.pod("ws-2", "workspace");
        crashing.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder().withName("app").withRestartCount(4)
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState().build()));
        k.fabric8.pods().inNamespace("prod").resource(crashing).create();
        k.fabric8.pods().inNamespace("prod").resource(MockCluster.pod("api-1", "api")).create();
        List<ContainerBackend.Container> ws = backend.list(Map.of("app", "workspace"));
        assertEquals(List.of("ws-1", "ws-2"), ws.stream().map(ContainerBackend.Container::id).toList());
        assertEquals("Running", ws.get(0).state());
        assertEquals("CrashLoopBackOff", ws.get(1).state());
        assertEquals("api:1", ws.get(0).image());
    }

    @Test
    void stopDeletesThePodAndReturnsOnceItIsGone() throws Exception {
        k.fabric8.pods().inNamespace("prod").resource(MockCluster.pod("ws-1", "workspace")).create();
        backend.stop("ws-1", Duration.ofSeconds(5));
        assertNull(k.fabric8.pods().inNamespace("prod").withName("ws-1").get());
        backend.stop("ws-1", Duration.ofSeconds(5));
    }

    @Test
    void aVerificationPodRunsUnderTheRuntimeClassAndReportsExitCodeAndLogs() throws Exception {
        k.server.expect().get().withPath("/api/v1/namespaces/prod/pods/verify-gvisor/log?pretty=false&container=verify")
                .andReturn(200, "Linux 4.4.0 gVisor\n").always();
        CompletableFuture<Void> kubelet = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 100 && k.fabric8.pods().inNamespace("prod").withName("verify-gvisor").get() == null; i++) {
                pause(50);
            }
            var p = k.fabric8.pods().inNamespace("prod").withName("verify-gvisor").get();
            assertEquals("gvisor", p.getSpec().getRuntimeClassName());
            assertEquals("Never", p.getSpec().getRestartPolicy());
            k.fabric8.pods().inNamespace("prod").withName("verify-gvisor").editStatus(x -> {
                x.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Succeeded")
                        .withContainerStatuses(new ContainerStatusBuilder().withName("verify").withNewState().withNewTerminated()
                                .withExitCode(0).withReason("Completed").endTerminated().endState().build()).build());
                return x;
            });
        });
        ContainerBackend.VerificationResult r = backend.verify(new ContainerBackend.Verification("verify-gvisor", "busybox:1.36",
                List.of("uname", "-a"), Map.of("opsctl/verify", "true"), Optional.of("gvisor"), Duration.ofSeconds(20)));
        kubelet.join();
        assertTrue(r.ok(), r.toString());
        assertEquals("Linux 4.4.0 gVisor\n", r.logs());
        assertNull(k.fabric8.pods().inNamespace("prod").withName("verify-gvisor").get(), "the verification pod is removed");
    }

    @Test
    void aVerificationThatNeverFinishesSaysWhereItStuck() throws Exception {
        k.server.expect().get().withPath("/api/v1/namespaces/prod/pods/verify-stuck/log?pretty=false&container=verify")
                .andReturn(200, "").always();
        ContainerBackend.VerificationResult r = backend.verify(new ContainerBackend.Verification("verify-stuck", "busybox:1.36",
                List.of("true"), Map.of(), Optional.empty(), Duration.ofMillis(800)));
        assertFalse(r.ok());
        assertEquals(-1, r.exitCode());
        assertTrue(r.failure().orElseThrow().startsWith("pod 'verify-stuck' did not finish within"), r.failure().orElseThrow());
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
