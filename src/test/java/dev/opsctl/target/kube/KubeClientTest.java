package dev.opsctl.target.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.TargetException;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KubeClientTest {
    private final MockCluster k = new MockCluster();

    @AfterEach
    void tearDown() {
        k.close();
    }

    @Test
    void getsAnObjectAsAPlainMapByAnyKindAlias() throws Exception {
        k.deployment("web", "nginx:1.25", 3);
        for (String kind : List.of("Deployment", "deployment", "deployments", "deploy")) {
            Map<String, Object> d = k.target.get(KubeRef.named(kind, "web", "")).orElseThrow();
            assertEquals("web", ObjectMaps.str(d, "metadata", "name"));
            assertEquals(3L, ObjectMaps.num(d, "spec", "replicas"));
        }
        assertTrue(k.target.get(KubeRef.named("Deployment", "absent", "")).isEmpty());
    }

    @Test
    void listsBySelectorSortedByName() throws Exception {
        k.deployment("web-b", "nginx", 1);
        k.deployment("web-a", "nginx", 1);
        k.deployment("other", "nginx", 1);
        k.target.setMetadata(KubeRef.named("Deployment", "web-a", ""), true, Map.of("tier", "front"));
        k.target.setMetadata(KubeRef.named("Deployment", "web-b", ""), true, Map.of("tier", "front"));
        List<Map<String, Object>> front = k.target.list(KubeRef.selected("Deployment", "tier=front", ""));
        assertEquals(List.of("web-a", "web-b"), front.stream().map(o -> ObjectMaps.str(o, "metadata", "name")).toList());
        assertEquals(3, k.target.list(KubeRef.selected("Deployment", "", "")).size());
    }

    @Test
    void applyFallsBackToCreateOrReplaceAndSaysWhatItDidPerObject() throws Exception {
        String m = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings}
                data: {a: "1"}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: api}}
                  template:
                    metadata: {labels: {app: api}}
                    spec: {containers: [{name: api, image: "api:1"}]}
                """;
        List<KubeTarget.Applied> first = k.target.apply(m, "");
        assertEquals(List.of(new KubeTarget.Applied("ConfigMap", "settings", "prod", "created", false),
                new KubeTarget.Applied("Deployment", "api", "prod", "created", false)), first);
        List<KubeTarget.Applied> second = k.target.apply(m.replace("\"1\"", "\"2\""), "");
        assertEquals("configured", second.get(0).action(), second.toString());
        assertEquals("2", ObjectMaps.str(k.target.get(KubeRef.named("ConfigMap", "settings", "")).orElseThrow(), "data", "a"));
    }

    @Test
    void applyPutsObjectsWithoutANamespaceIntoTheGivenOne() throws Exception {
        k.target.apply("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},\"data\":{\"x\":\"y\"}}", "staging");
        assertTrue(k.target.get(KubeRef.named("ConfigMap", "c", "staging")).isPresent());
        assertTrue(k.target.get(KubeRef.named("ConfigMap", "c", "prod")).isEmpty());
    }

    @Test
    void anInvalidManifestIsARemoteFailureWithTheReason() {
        TargetException e = assertThrows(TargetException.class, () -> k.target.apply("kind: [unclosed", ""));
        assertEquals(TargetException.Kind.REMOTE_FAILED, e.kind());
        assertTrue(e.getMessage().startsWith("the manifest is not valid Kubernetes YAML"), e.getMessage());
    }

    @Test
    void labelsAndAnnotationsOverwrite() throws Exception {
        k.deployment("web", "nginx", 1);
        KubeRef web = KubeRef.named("Deployment", "web", "");
        k.target.setMetadata(web, true, Map.of("app", "renamed", "track", "canary"));
        k.target.setMetadata(web, false, Map.of("opsctl/run", "r1"));
        k.target.setMetadata(web, false, Map.of("opsctl/run", "r2"));
        Map<String, Object> d = k.target.get(web).orElseThrow();
        assertEquals("renamed", ObjectMaps.str(d, "metadata", "labels", "app"));
        assertEquals("canary", ObjectMaps.str(d, "metadata", "labels", "track"));
        assertEquals("r2", ObjectMaps.str(d, "metadata", "annotations", "opsctl/run"));
    }

    /**
     * A controller writes the object (its status) between opsctl's read and its write: the write is refused with 409, as
     * kubectl's would be if it sent the resourceVersion; opsctl reads again and writes again, as kubectl label and set image
     * do (they patch without a resourceVersion, so they never meet the conflict).
     */
    @Test
    void aLabelOrAnImageWrittenWhileAControllerWritesTheObjectIsWrittenAgain() throws Exception {
        k.deployment("web", "nginx", 1);
        String conflict = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Conflict\",\"code\":409,"
                + "\"message\":\"Operation cannot be fulfilled on deployments.apps \\\"web\\\": the object has been modified\"}";
        KubeRef web = KubeRef.named("Deployment", "web", "");
        k.server.expect().patch().withPath("/apis/apps/v1/namespaces/prod/deployments/web").andReturn(409, conflict).times(2);
        k.target.setMetadata(web, true, Map.of("track", "canary"));
        assertEquals("canary", ObjectMaps.str(k.target.get(web).orElseThrow(), "metadata", "labels", "track"));

        k.server.expect().patch().withPath("/apis/apps/v1/namespaces/prod/deployments/web").andReturn(409, conflict).times(2);
        k.target.setImage(web, "app", "nginx:1.27");
        assertEquals("nginx:1.27", k.fabric8.apps().deployments().inNamespace("prod").withName("web").get().getSpec().getTemplate().getSpec()
                .getContainers().get(0).getImage());

        k.server.expect().patch().withPath("/apis/apps/v1/namespaces/prod/deployments/web").andReturn(409, conflict)
                .times(KubeClient.CONFLICT_ATTEMPTS);
        TargetException e = assertThrows(TargetException.class, () -> k.target.setMetadata(web, true, Map.of("track", "stable")));
        assertTrue(e.getMessage().startsWith("conflict on deployment 'web' in namespace 'prod' (409)"), "a controller that never stops: "
                + e.getMessage());
    }

    @Test
    void scalesReplicas() throws Exception {
        k.deployment("web", "nginx", 3);
        Map<String, Object> after = k.target.scale(KubeRef.named("Deployment", "web", ""), 5);
        assertEquals(5L, ObjectMaps.num(after, "spec", "replicas"));
        assertEquals(5, k.fabric8.apps().deployments().inNamespace("prod").withName("web").get().getSpec().getReplicas());
    }

    @Test
    void jsonAndMergePatchesSwitchAnIngressBackend() throws Exception {
        Ingress ing = new IngressBuilder().withNewMetadata().withName("api").withNamespace("prod").endMetadata()
                .withNewSpec().withNewDefaultBackend().withNewService().withName("api-blue").withNewPort().withNumber(8000).endPort()
                .endService().endDefaultBackend().endSpec().build();
        k.fabric8.network().v1().ingresses().inNamespace("prod").resource(ing).create();
        KubeRef ref = KubeRef.named("Ingress", "api", "");
        Map<String, Object> merged = k.target.patch(ref, "merge", "{\"spec\":{\"defaultBackend\":{\"service\":{\"name\":\"api-green\"}}}}");
        assertEquals("api-green", ObjectMaps.str(merged, "spec", "defaultBackend", "service", "name"));
        assertEquals(8000L, ObjectMaps.num(merged, "spec", "defaultBackend", "service", "port", "number"));
        Map<String, Object> json = k.target.patch(ref, "json",
                "[{\"op\":\"replace\",\"path\":\"/spec/defaultBackend/service/name\",\"value\":\"api-blue\"}]");
        assertEquals("api-blue", ObjectMaps.str(json, "spec", "defaultBackend", "service", "name"));
        assertEquals("api-blue", k.fabric8.network().v1().ingresses().inNamespace("prod").withName("api").get()
                .getSpec().getDefaultBackend().getService().getName());
    }

    @Test
    void deletesByNameOrSelectorAndWaitsUntilGone() throws Exception {
        k.deployment("web", "nginx", 1);
        k.deployment("canary", "nginx", 1);
        k.target.setMetadata(KubeRef.named("Deployment", "canary", ""), true, Map.of("track", "canary"));
        assertEquals(List.of("canary"), k.target.delete(KubeRef.selected("Deployment", "track=canary", ""),
                Optional.of(Duration.ofSeconds(5)), OptionalLong.empty()));
        assertEquals(List.of("web"), k.target.delete(KubeRef.named("Deployment", "web", ""), Optional.empty(), OptionalLong.of(0)));
        assertEquals(List.of(), k.target.delete(KubeRef.named("Deployment", "web", ""), Optional.empty(), OptionalLong.empty()),
                "deleting what is gone is not an error");
        assertTrue(k.target.list(KubeRef.selected("Deployment", "", "")).isEmpty());
    }

    @Test
    void waitsForAFieldSetFromAnotherThread() throws Exception {
        k.deployment("web", "nginx", 3);
        CompletableFuture<Void> controller = CompletableFuture.runAsync(() -> {
            sleep(300);
            k.fabric8.apps().deployments().inNamespace("prod").withName("web").editStatus(d -> {
                d.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatus());
                d.getStatus().setReadyReplicas(3);
                return d;
            });
        });
        KubeTarget.Waited w = k.target.waitFor(KubeRef.named("Deployment", "web", ""),
                o -> ObjectMaps.num(o, "status", "readyReplicas") >= 3, Duration.ofSeconds(10));
        controller.join();
        assertTrue(w.met());
        assertEquals(3L, ObjectMaps.num(w.object(), "status", "readyReplicas"));
    }

    @Test
    void aWaitThatDoesNotHoldEndsWithTheLastStateSeen() throws Exception {
        k.deployment("web", "nginx", 3);
        KubeTarget.Waited w = k.target.waitFor(KubeRef.named("Deployment", "web", ""),
                o -> ObjectMaps.num(o, "status", "readyReplicas") >= 3, Duration.ofMillis(500));
        assertFalse(w.met());
        assertEquals("web", ObjectMaps.str(w.object(), "metadata", "name"));
    }

    @Test
    void aMissingObjectIsNamedWithItsNamespace() throws Exception {
        TargetException e = assertThrows(TargetException.class,
                () -> k.target.patch(KubeRef.named("Deployment", "web", ""), "merge", "{}"));
        assertEquals(TargetException.Kind.REMOTE_FAILED, e.kind());
        assertEquals("deployment 'web' not found in namespace 'prod'", e.getMessage());
        TargetException scale = assertThrows(TargetException.class, () -> k.target.setImage(KubeRef.named("deploy", "api", "app"), "x", "y"));
        assertEquals("deployment 'api' not found in namespace 'app'", scale.getMessage());
    }

    @Test
    void anUnknownKindAsksForAnApiVersion() {
        TargetException e = assertThrows(TargetException.class, () -> k.target.get(KubeRef.named("Rollout", "web", "")));
        assertTrue(e.getMessage().contains("unknown kind 'Rollout'"), e.getMessage());
    }

    @Test
    void aServerThatIsNotThereIsUnreachable() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        var config = new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl("http://127.0.0.1:" + port).withNamespace("prod")
                .withRequestRetryBackoffLimit(0).build();
        try (KubeClient dead = new KubeClient(KubeClientFactory.client(config), "gone", "http://127.0.0.1:" + port, "prod")) {
            TargetException e = assertThrows(TargetException.class, () -> dead.get(KubeRef.named("Pod", "x", "")));
            assertEquals(TargetException.Kind.UNREACHABLE, e.kind(), e.getMessage());
            assertTrue(e.unreachable());
            assertTrue(e.getMessage().startsWith("kube context 'gone' is unreachable"), e.getMessage());
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
