package dev.opsctl.target.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.TargetException;
import io.fabric8.kubernetes.client.server.mock.OutputStreamMessage;
import io.fabric8.kubernetes.client.server.mock.StatusStreamMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kube target through a relay that cuts requests off once the mock API server took them in, with a client built
 * as opsctl builds it (from a kubeconfig, by {@link KubeClientFactory}): a write cut off is a lost connection that may
 * have been applied and is never sent again; a read is asked once more; a refused connection is unreachable.
 */
class KubeLostConnectionTest {
    @TempDir
    Path tmp;

    private MockCluster k;
    private RequestCuttingProxy proxy;
    private KubeClient kube;

    @BeforeEach
    void setUp() throws Exception {
        k = new MockCluster();
        k.deployment("web", "api:1", 2);
        proxy = new RequestCuttingProxy(k.server.getPort());
        kube = clientOf(proxy.url());
    }

    private KubeClient clientOf(String server) throws Exception {
        Path kubeconfig = tmp.resolve("kubeconfig");
        MockCluster.writeKubeconfig(kubeconfig, server);
        return new KubeClientFactory(Map.of("KUBECONFIG", kubeconfig.toString()), tmp, tmp.resolve("sa")).open(Optional.empty(), Optional.empty());
    }

    @AfterEach
    void tearDown() throws Exception {
        kube.close();
        proxy.close();
        k.close();
    }

    private final KubeRef web = KubeRef.named("Deployment", "web", "");

    private List<?> containers() {
        return k.fabric8.apps().deployments().inNamespace("prod").withName("web").get().getSpec().getTemplate().getSpec().getContainers();
    }

    @Test
    void aPatchCutOffAfterTheServerTookItIsALostConnectionThatMayHaveBeenAppliedAndIsNotSentAgain() {
        proxy.cut("PATCH", 1);
        TargetException e = assertThrows(TargetException.class, () -> kube.patch(web, "json",
                "[{\"op\":\"add\",\"path\":\"/spec/template/spec/containers/-\",\"value\":{\"name\":\"sidecar\",\"image\":\"s:1\"}}]"));
        assertEquals(TargetException.Kind.CONNECTION_LOST, e.kind(), e.getMessage());
        assertEquals(TargetException.LostCommand.MAY_STILL_RUN, e.lostCommand());
        assertEquals("kube context 'mock': the patch of deployment 'web' in namespace 'prod' was cut short: the connection to the API "
                + "server broke before its answer arrived (Connection reset); the API server may have applied it", e.getMessage());
        assertEquals(1, proxy.reached("PATCH"), "sent once, not again: " + proxy.requests());
        assertEquals(2, containers().size(), "the server applied it, once: " + containers());
    }

    @Test
    void aCreateAndADeleteCutOffAreLostConnectionsSentOnce() {
        proxy.cut("POST", 1);
        TargetException created = assertThrows(TargetException.class, () -> kube.apply(
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"flag\"},\"data\":{\"on\":\"1\"}}", ""));
        assertEquals(TargetException.Kind.CONNECTION_LOST, created.kind(), created.getMessage());
        assertEquals(TargetException.LostCommand.MAY_STILL_RUN, created.lostCommand());
        assertEquals(1, proxy.reached("POST"), proxy.requests().toString());
        assertTrue(k.fabric8.configMaps().inNamespace("prod").withName("flag").get() != null, "the server created it");

        proxy.cut("DELETE", 1);
        TargetException deleted = assertThrows(TargetException.class, () -> kube.delete(web, Optional.empty(), OptionalLong.empty()));
        assertEquals(TargetException.Kind.CONNECTION_LOST, deleted.kind(), deleted.getMessage());
        assertTrue(deleted.getMessage().endsWith("the API server may have applied it"), deleted.getMessage());
        assertEquals(1, proxy.reached("DELETE"), proxy.requests().toString());
    }

    @Test
    void aWriteAnsweredGatewayTimeoutAfterTheServerTookItIsALostConnectionThatMayHaveBeenApplied() {
        proxy.answerInstead("PATCH", 1, 504);
        TargetException e = assertThrows(TargetException.class, () -> kube.patch(web, "json",
                "[{\"op\":\"add\",\"path\":\"/spec/template/spec/containers/-\",\"value\":{\"name\":\"sidecar\",\"image\":\"s:1\"}}]"));
        assertEquals(TargetException.Kind.CONNECTION_LOST, e.kind(), e.getMessage());
        assertEquals(TargetException.LostCommand.MAY_STILL_RUN, e.lostCommand());
        assertEquals("kube context 'mock': the patch of deployment 'web' in namespace 'prod' got no answer from the API server: it (or a "
                + "proxy in front of it) answered 504 (the gateway gave up); the API server may have applied it", e.getMessage());
        assertEquals(1, proxy.reached("PATCH"), "sent once, not again: " + proxy.requests());
        assertEquals(2, containers().size(), "the server applied it, once: " + containers());

        proxy.answerInstead("POST", 1, 502);
        TargetException created = assertThrows(TargetException.class, () -> kube.apply(
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"flag\"},\"data\":{\"on\":\"1\"}}", ""));
        assertEquals(TargetException.Kind.CONNECTION_LOST, created.kind(), created.getMessage());
        assertEquals(1, proxy.reached("POST"), proxy.requests().toString());
    }

    @Test
    void aWriteAnswered5xxAndCutBeforeItsBodyCameWholeIsALostConnectionThatMayHaveBeenAppliedAndIsNotSentAgain() {
        // the status line came (a 500, a 504: whether the API server applied it is not known), the body broke off
        proxy.answerThenCut("PATCH", 1, 500, false);
        TargetException e = assertThrows(TargetException.class, () -> kube.patch(web, "json",
                "[{\"op\":\"add\",\"path\":\"/spec/template/spec/containers/-\",\"value\":{\"name\":\"sidecar\",\"image\":\"s:1\"}}]"));
        assertEquals(TargetException.Kind.CONNECTION_LOST, e.kind(), e.getMessage());
        assertEquals(TargetException.LostCommand.MAY_STILL_RUN, e.lostCommand());
        assertEquals("kube context 'mock': the patch of deployment 'web' in namespace 'prod' was cut short: the connection to the API "
                + "server broke partway through its answer (its body stopped after 48 of 97 bytes: EOF reached while reading); the API "
                + "server may have applied it", e.getMessage());
        assertEquals(1, proxy.reached("PATCH"), "sent once, not again: " + proxy.requests());
        assertEquals(2, containers().size(), "the server applied it, once: " + containers());

        proxy.answerThenCut("POST", 1, 504, true);
        TargetException created = assertThrows(TargetException.class, () -> kube.apply(
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"flag\"},\"data\":{\"on\":\"1\"}}", ""));
        assertEquals(TargetException.Kind.CONNECTION_LOST, created.kind(), created.getMessage());
        assertTrue(created.getMessage().endsWith("was cut short: the connection to the API server broke partway through its answer (its "
                + "body stopped after 0 of 97 bytes: EOF reached while reading); the API server may have applied it"), created.getMessage());
        assertEquals(1, proxy.reached("POST"), proxy.requests().toString());
    }

    @Test
    void aServerSideApplyAnsweredGatewayTimeoutIsALostConnectionNotAPlainFailure() {
        proxy.answerInstead("PATCH", 1, 504);
        TargetException e = assertThrows(TargetException.class, () -> kube.apply(
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"flag\"},\"data\":{\"on\":\"1\"}}", ""));
        assertEquals(TargetException.Kind.CONNECTION_LOST, e.kind(), e.getMessage());
        assertEquals(0, proxy.reached("POST"), "no create-or-replace after it: " + proxy.requests());
    }

    @Test
    void aPatchReadsItsObjectAsAReadAndSendsOneRequestThatChangesIt() throws Exception {
        // fabric8's own patch and edit read the object again inside the write: a 504 to that read was 'the get of deployment
        // 'web' ... the API server may have applied it', connection_lost, the rollout halted with nothing sent
        for (String step : List.of("patch", "label", "annotate", "set_image", "scale")) {
            proxy.passFirst(1);
            proxy.answerInstead("GET /apis/apps/v1/namespaces/prod/deployments/web", 1, 504);
            long gets = proxy.reached("GET /apis/apps/v1/namespaces/prod/deployments/web");
            long patches = proxy.reached("PATCH");
            switch (step) {
                case "patch" -> kube.patch(web, "merge", "{\"metadata\":{\"labels\":{\"patched\":\"yes\"}}}");
                case "label" -> kube.setMetadata(web, true, Map.of("tier", "web"));
                case "annotate" -> kube.setMetadata(web, false, Map.of("owner", "ops"));
                case "set_image" -> kube.setImage(web, "app", "api:2");
                default -> kube.scale(web, 3);
            }
            assertEquals(1, proxy.reached("PATCH") - patches, step + ": " + proxy.requests());
            assertEquals(1, proxy.reached("GET /apis/apps/v1/namespaces/prod/deployments/web") - gets, step + " reads the object once: "
                    + proxy.requests());
            proxy.answerInstead("GET", 0, 504);
        }
        // that one read answered 504 is asked once more, as any read, and the change goes through once
        int cuts = proxy.cuts();
        long patches = proxy.reached("PATCH");
        proxy.answerInstead("GET /apis/apps/v1/namespaces/prod/deployments/web", 1, 504);
        kube.setMetadata(web, true, Map.of("tier", "web"));
        assertEquals(cuts + 1, proxy.cuts(), "the read was answered 504");
        assertEquals(patches + 1, proxy.reached("PATCH"), proxy.requests().toString());
        var d = k.fabric8.apps().deployments().inNamespace("prod").withName("web").get();
        assertEquals(Map.of("app", "web", "patched", "yes", "tier", "web"), d.getMetadata().getLabels());
        assertEquals("ops", d.getMetadata().getAnnotations().get("owner"));
        assertEquals("api:2", d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        assertEquals(3, d.getSpec().getReplicas());
    }

    @Test
    void aReadAnsweredGatewayTimeoutIsAskedOnceMoreNotCalledALostChange() throws Exception {
        proxy.answerInstead("GET /apis/apps/v1/namespaces/prod/deployments/web", 1, 504);
        assertEquals("web", ObjectMaps.str(kube.get(web).orElseThrow(), "metadata", "name"));
        assertEquals(2, proxy.reached("GET /apis/apps/v1/namespaces/prod/deployments/web"), proxy.requests().toString());
    }

    @Test
    void aReadCutOffIsAskedOnceMoreAndAnswers() throws Exception {
        proxy.cutMidAnswer("GET", 1);
        assertEquals("web", ObjectMaps.str(kube.get(web).orElseThrow(), "metadata", "name"));
        assertEquals(2, proxy.reached("GET"), proxy.requests().toString());
        assertEquals(1, proxy.cuts());
    }

    @Test
    void aReadCutOffTwiceIsUnreachableAsBeforeNotALostChange() {
        proxy.cutMidAnswer("GET", 2);
        TargetException e = assertThrows(TargetException.class, () -> kube.list(KubeRef.selected("Deployment", "app=web", "")));
        assertEquals(TargetException.Kind.UNREACHABLE, e.kind(), e.getMessage());
        assertEquals("kube context 'mock' is unreachable: the read of deployments with labels 'app=web' in namespace 'prod' was cut short"
                + " twice, the connection broken before the answer arrived (Connection reset)", e.getMessage());
        assertEquals(2, proxy.reached("GET"), proxy.requests().toString());
    }

    @Test
    void aRefusedConnectionIsStillUnreachableForReadsAndWrites() throws Exception {
        kube.close();
        kube = clientOf(MockCluster.NOTHING_LISTENS);
        TargetException read = assertThrows(TargetException.class, () -> kube.get(web));
        assertEquals(TargetException.Kind.UNREACHABLE, read.kind(), read.getMessage());
        assertEquals("kube context 'mock' is unreachable: connection refused", read.getMessage());
        TargetException write = assertThrows(TargetException.class, () -> kube.apply(
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"flag\"}}", ""));
        assertEquals(TargetException.Kind.UNREACHABLE, write.kind(), write.getMessage());
    }

    @Test
    void anApplyOfSeveralObjectsRefusedAfterTheFirstWasWrittenIsALostConnectionNotUnreachable() throws Exception {
        // on an address of its own (127.0.1.202): the port it frees cannot be taken by another test's server
        try (RequestCuttingProxy own = new RequestCuttingProxy(k.server.getPort(), java.net.InetAddress.getByName("127.0.1.202"));
                KubeClient through = clientOf(own.url())) {
            own.refuseAfter("POST /api/v1/namespaces/prod/configmaps");
            TargetException e = assertThrows(TargetException.class, () -> through.apply("""
                    apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: first}
                    ---
                    apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: second}
                    """, ""), own.requests().toString());
            assertTrue(k.fabric8.configMaps().inNamespace("prod").withName("first").get() != null, "the first was written");
            assertEquals(TargetException.Kind.CONNECTION_LOST, e.kind(), e.getMessage());
            assertEquals(TargetException.LostCommand.MAY_STILL_RUN, e.lostCommand());
            assertEquals("kube context 'mock': the apply was cut short after 1 of 2 objects (configmap 'first' created): configmap "
                    + "'second' in namespace 'prod' was not applied: kube context 'mock' is unreachable: connection refused",
                    e.getMessage());
        }
    }

    @Test
    void aDeleteOfSeveralObjectsRefusedAfterTheFirstWasDeletedIsALostConnectionNotUnreachable() throws Exception {
        for (String name : List.of("cache-a", "cache-b", "cache-c")) {
            k.fabric8.configMaps().inNamespace("prod").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata()
                    .withName(name).withLabels(Map.of("tier", "cache")).endMetadata().build()).create();
        }
        // on an address of its own (127.0.1.206): the port it frees cannot be taken by another test's server
        try (RequestCuttingProxy own = new RequestCuttingProxy(k.server.getPort(), java.net.InetAddress.getByName("127.0.1.206"));
                KubeClient through = clientOf(own.url())) {
            own.refuseAfter("DELETE /api/v1/namespaces/prod/configmaps/cache-a");
            TargetException e = assertThrows(TargetException.class,
                    () -> through.delete(KubeRef.selected("ConfigMap", "tier=cache", ""), Optional.empty(), OptionalLong.empty()));
            assertEquals(TargetException.Kind.CONNECTION_LOST, e.kind(), e.getMessage());
            assertEquals("kube context 'mock': the delete was cut short after 1 of 3 objects (configmap 'cache-a' deleted): configmap "
                    + "'cache-b' in namespace 'prod' and the 1 object after it were not deleted: kube context 'mock' is unreachable: "
                    + "connection refused", e.getMessage());
        }
    }

    @Test
    void anApplyOfSeveralObjectsCutOffAtTheSecondNamesTheFirstAsWrittenToo() {
        proxy.cut("POST /api/v1/namespaces/prod/secrets", 1);
        TargetException e = assertThrows(TargetException.class, () -> kube.apply("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: first}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: token}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: third}
                """, ""));
        assertEquals(TargetException.Kind.CONNECTION_LOST, e.kind(), e.getMessage());
        assertEquals(TargetException.LostCommand.MAY_STILL_RUN, e.lostCommand());
        assertEquals("kube context 'mock': the apply was cut short after 1 of 3 objects (configmap 'first' created), at secret 'token' in "
                + "namespace 'prod', which may have been applied; the 1 object after it was not: kube context 'mock': the request for "
                + "secret 'token' in namespace 'prod' was cut short: the connection to the API server broke before its answer arrived "
                + "(Connection reset); the API server may have applied it", e.getMessage());
        assertEquals(1, proxy.reached("POST /api/v1/namespaces/prod/secrets"), proxy.requests().toString());
    }

    @Test
    void anApplyForbiddenAfterTheFirstObjectWasWrittenIsAFailureNotUnreachable() {
        k.server.expect().post().withPath("/api/v1/namespaces/prod/secrets").andReturn(403, new io.fabric8.kubernetes.api.model.StatusBuilder()
                .withCode(403).withMessage("secrets is forbidden: User \"deployer\" cannot create resource").build()).once();
        TargetException e = assertThrows(TargetException.class, () -> kube.apply("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: first}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: token}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: third}
                """, ""));
        assertEquals(TargetException.Kind.REMOTE_FAILED, e.kind(), e.getMessage());
        assertTrue(e.getMessage().startsWith("kube context 'mock': the apply was cut short after 1 of 3 objects (configmap 'first' created): "
                + "secret 'token' in namespace 'prod' and the 1 object after it were not applied: kube context 'mock' forbids this"),
                e.getMessage());
    }

    @Test
    void anExecWhoseStreamBreaksIsALostConnectionWhoseCommandMayStillRun() throws Exception {
        k.fabric8.pods().inNamespace("prod").resource(MockCluster.pod("web-1", "web")).create();
        k.server.expect().get().withPath("/api/v1/namespaces/prod/pods/web-1/exec?command=migrate&command=--all&container=app&stdout=true&stderr=true")
                .andUpgradeToWebSocket().open(new OutputStreamMessage("start\n"), new StatusStreamMessage(0)).done().once();
        proxy.holdUpgrades();
        CompletableFuture<Void> cut = CompletableFuture.runAsync(() -> {
            try {
                while (proxy.heldUpgrades() == 0) {
                    Thread.sleep(20);
                }
                proxy.resetUpgrades();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        TargetException e = assertThrows(TargetException.class,
                () -> kube.exec(KubeRef.named("Pod", "web-1", ""), Optional.of("app"), List.of("migrate", "--all"), Duration.ofSeconds(10)));
        cut.join();
        assertEquals(TargetException.Kind.CONNECTION_LOST, e.kind(), e.getMessage());
        assertEquals(TargetException.LostCommand.MAY_STILL_RUN, e.lostCommand());
        assertEquals("kube context 'mock': exec of 'migrate --all' in pod 'web-1' in namespace 'prod' was cut short: the connection to the "
                + "API server broke (Connection reset); the command may still be running in the container", e.getMessage());
        assertEquals(1, proxy.reached("GET /api/v1/namespaces/prod/pods/web-1/exec"), "not started again: " + proxy.requests());
    }
}
