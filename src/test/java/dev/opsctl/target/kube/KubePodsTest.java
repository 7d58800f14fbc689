package dev.opsctl.target.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.ExecResult;
import dev.opsctl.target.TargetException;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.server.mock.OutputStreamMessage;
import io.fabric8.kubernetes.client.server.mock.StatusStreamMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Exec and logs are not CRUD: the mock answers them from expectations (the exact request path fabric8 sends). */
class KubePodsTest {
    private final MockCluster k = new MockCluster();

    @AfterEach
    void tearDown() {
        k.close();
    }

    private void create(Pod p) {
        k.fabric8.pods().inNamespace("prod").resource(p).create();
    }

    @Test
    void execReturnsOutputAndExitCode() throws Exception {
        create(MockCluster.pod("web-1", "web"));
        k.server.expect().get().withPath("/api/v1/namespaces/prod/pods/web-1/exec?command=cat&command=%2Fetc%2Fhostname&container=app&stdout=true&stderr=true")
                .andUpgradeToWebSocket().open(new OutputStreamMessage("web-1\n"), new StatusStreamMessage(0)).done().once();
        ExecResult r = k.target.exec(KubeRef.named("Pod", "web-1", ""), Optional.of("app"), List.of("cat", "/etc/hostname"), Duration.ofSeconds(10));
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("web-1\n", r.stdout());
    }

    @Test
    void aNonZeroExitIsAResult() throws Exception {
        create(MockCluster.pod("web-1", "web"));
        k.server.expect().get().withPath("/api/v1/namespaces/prod/pods/web-1/exec?command=false&container=app&stdout=true&stderr=true")
                .andUpgradeToWebSocket().open(new StatusStreamMessage(3)).done().once();
        ExecResult r = k.target.exec(KubeRef.named("Pod", "web-1", ""), Optional.of("app"), List.of("false"), Duration.ofSeconds(10));
        assertEquals(3, r.exitCode());
    }

    @Test
    void logsOfThePreviousInstanceWithATail() throws Exception {
        create(MockCluster.pod("web-1", "web"));
        k.server.expect().get().withPath("/api/v1/namespaces/prod/pods/web-1/log?pretty=false&container=app&previous=true&tailLines=2")
                .andReturn(200, "panic: config missing\nexit 1\n").once();
        String log = k.target.logs(KubeRef.named("Pod", "web-1", ""), Optional.of("app"), true, OptionalInt.of(2));
        assertEquals("panic: config missing\nexit 1\n", log);
    }

    @Test
    void execInAMissingPodNamesIt() {
        TargetException e = assertThrows(TargetException.class,
                () -> k.target.exec(KubeRef.named("Pod", "ghost", ""), Optional.empty(), List.of("true"), Duration.ofSeconds(5)));
        assertEquals("pod 'ghost' not found in namespace 'prod'", e.getMessage());
    }

    @Test
    void eventsAboutOneObjectNewestLast() throws Exception {
        create(MockCluster.pod("web-1", "web"));
        event("e2", "web-1", "BackOff", "Warning", "2026-11-22T02:05:00Z");
        event("e1", "web-1", "Pulled", "Normal", "2026-11-22T02:01:00Z");
        event("e3", "web-2", "Killing", "Normal", "2026-11-22T02:03:00Z");
        List<KubeTarget.Event> events = k.target.events(KubeRef.named("Pod", "web-1", ""));
        assertEquals(List.of("Pulled", "BackOff"), events.stream().map(KubeTarget.Event::reason).toList());
        assertEquals("Warning", events.get(1).type());
        assertEquals("Pod/web-1", events.get(1).object());
    }

    private void event(String name, String pod, String reason, String type, String last) {
        k.fabric8.v1().events().inNamespace("prod").resource(new EventBuilder().withNewMetadata().withName(name).withNamespace("prod").endMetadata()
                .withNewInvolvedObject().withKind("Pod").withName(pod).withNamespace("prod").endInvolvedObject()
                .withReason(reason).withType(type).withMessage(reason + " happened").withLastTimestamp(last).withCount(1).build()).create();
    }

    @Test
    void portForwardToAServiceWithoutSelectorIsRefusedClearly() throws Exception {
        k.fabric8.services().inNamespace("prod").resource(new io.fabric8.kubernetes.api.model.ServiceBuilder().withNewMetadata().withName("ext")
                .withNamespace("prod").endMetadata().withNewSpec().withType("ExternalName").withExternalName("db.example").endSpec().build()).create();
        TargetException e = assertThrows(TargetException.class, () -> k.target.portForward(KubeRef.named("Service", "ext", ""), 80));
        assertTrue(e.getMessage().contains("has no selector"), e.getMessage());
    }
}
