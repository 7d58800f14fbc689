package dev.opsctl.target.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.TargetException;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KubeErrorsTest {
    private final KubeRef web = KubeRef.named("Deployment", "web", "prod");

    private static KubernetesClientException status(int code, String message) {
        return new KubernetesClientException(new StatusBuilder().withCode(code).withMessage(message).build());
    }

    @Test
    void notFoundNamesObjectAndNamespace() {
        TargetException e = KubeErrors.translate("prod-eks", Optional.of(web), status(404, "deployments.apps \"web\" not found"));
        assertEquals(TargetException.Kind.REMOTE_FAILED, e.kind());
        assertEquals("deployment 'web' not found in namespace 'prod'", e.getMessage());
    }

    @Test
    void unauthorizedAndForbiddenAreAuthFailures() {
        TargetException u = KubeErrors.translate("prod-eks", Optional.of(web), status(401, "Unauthorized"));
        assertEquals(TargetException.Kind.AUTH_FAILED, u.kind());
        assertTrue(u.unreachable());
        assertTrue(u.getMessage().startsWith("kube context 'prod-eks' rejected the credentials (401 Unauthorized)"), u.getMessage());
        TargetException f = KubeErrors.translate("prod-eks", Optional.of(web), status(403,
                "deployments.apps \"web\" is forbidden: User \"dev\" cannot patch resource"));
        assertEquals(TargetException.Kind.AUTH_FAILED, f.kind());
        assertTrue(f.getMessage().endsWith("(403 Forbidden): deployments.apps \"web\" is forbidden: User \"dev\" cannot patch resource"), f.getMessage());
    }

    @Test
    void conflictsKeepTheServersReason() {
        TargetException e = KubeErrors.translate("prod-eks", Optional.of(web), status(409,
                "Operation cannot be fulfilled on deployments.apps \"web\": the object has been modified"));
        assertEquals(TargetException.Kind.REMOTE_FAILED, e.kind());
        assertEquals("conflict on deployment 'web' in namespace 'prod' (409): Operation cannot be fulfilled on deployments.apps \"web\": "
                + "the object has been modified", e.getMessage());
    }

    @Test
    void aStorageTimeoutOnAWriteMayHaveBeenAppliedWhileOtherServerErrorsAreFailures() {
        TargetException etcd = KubeErrors.translateChange("prod-eks", Optional.of(web), status(500, "etcdserver: request timed out"));
        assertEquals(TargetException.Kind.CONNECTION_LOST, etcd.kind(), etcd.getMessage());
        assertTrue(etcd.getMessage().endsWith("answered 500 (etcdserver: request timed out); the API server may have applied it"),
                etcd.getMessage());
        TargetException webhook = KubeErrors.translateChange("prod-eks", Optional.of(web), status(500,
                "Internal error occurred: failed calling webhook \"validate.example\": certificate signed by unknown authority"));
        assertEquals(TargetException.Kind.REMOTE_FAILED, webhook.kind(), webhook.getMessage());
        assertEquals(TargetException.Kind.REMOTE_FAILED, KubeErrors.translateChange("prod-eks", Optional.of(web),
                status(503, "the server is currently unable to handle the request")).kind());
        assertEquals(TargetException.Kind.REMOTE_FAILED, KubeErrors.translateChange("prod-eks", Optional.of(web),
                status(409, "the object has been modified")).kind());
        assertEquals(TargetException.Kind.REMOTE_FAILED, KubeErrors.translate("prod-eks", Optional.of(web), status(504, "gave up")).kind(),
                "a read's 504 is a failure: nothing was changed");
    }

    @Test
    void aForbiddenAnswerFromTheServerIsTranslatedOnTheWay() throws Exception {
        try (MockCluster k = new MockCluster()) {
            k.server.expect().get().withPath("/apis/apps/v1/namespaces/prod/deployments/web")
                    .andReturn(403, new StatusBuilder().withCode(403).withMessage("forbidden by test").build()).once();
            TargetException e = assertThrows(TargetException.class, () -> k.target.get(KubeRef.named("Deployment", "web", "")));
            assertEquals(TargetException.Kind.AUTH_FAILED, e.kind(), e.getMessage());
            assertTrue(e.getMessage().endsWith("forbidden by test"), e.getMessage());
        }
    }

    @Test
    void aBrokenConnectionIsUnansweredAndNamesTheCauseBelowAMessagelessException() {
        var protocol = new java.net.ProtocolException();
        protocol.initCause(new IllegalStateException("Unexpected opcode CONTROL_0xB"));
        TargetException broken = KubeErrors.translate("prod-eks", Optional.of(web),
                new KubernetesClientException("Could not process Watch response", protocol));
        assertEquals(TargetException.Kind.CONNECTION_LOST, broken.kind(), "the request went out: the connection broke after");
        assertEquals("kube context 'prod-eks': the request for deployment 'web' in namespace 'prod' was cut short: the connection to the"
                + " API server broke before its answer arrived (ProtocolException: Unexpected opcode CONTROL_0xB); the API server may have"
                + " applied it", broken.getMessage());
        assertTrue(KubeErrors.unanswered(broken));
        assertFalse(KubeErrors.unanswered(KubeErrors.translate("prod-eks", Optional.of(web), status(403, "forbidden"))),
                "a refusal is an answer: watching again would only be refused again");
        assertFalse(KubeErrors.unanswered(KubeErrors.translate("prod-eks", Optional.of(web),
                new io.fabric8.kubernetes.client.KubernetesClientTimeoutException(java.util.List.of(), 1, java.util.concurrent.TimeUnit.SECONDS))));
    }

    @Test
    void onlyFailuresBeforeTheRequestWentOutAreUnreachable() {
        java.util.function.Function<Throwable, TargetException> t = cause -> KubeErrors.translate("prod-eks", Optional.of(web),
                new KubernetesClientException("Operation: [patch]  for kind: [Deployment]  with name: [web]  in namespace: [prod]  failed.", cause));
        java.net.ConnectException dns = new java.net.ConnectException();
        dns.initCause(new java.nio.channels.UnresolvedAddressException());
        assertEquals("kube context 'prod-eks' is unreachable: unknown host", t.apply(dns).getMessage());
        assertEquals("kube context 'prod-eks' is unreachable: connection refused", t.apply(new java.net.ConnectException("refused")).getMessage());
        assertEquals("kube context 'prod-eks' is unreachable: no answer (connect timeout)",
                t.apply(new java.net.http.HttpConnectTimeoutException("HTTP connect timed out")).getMessage());
        assertEquals("kube context 'prod-eks' is unreachable: TLS failed: PKIX path building failed",
                t.apply(new javax.net.ssl.SSLHandshakeException("PKIX path building failed")).getMessage());
        for (Throwable after : java.util.List.of(new java.net.SocketException("Connection reset"), new java.io.EOFException("EOF reached while reading"),
                new java.net.http.HttpTimeoutException("request timed out"), new java.net.SocketTimeoutException("Read timed out"),
                new javax.net.ssl.SSLException("Tag mismatch"))) {
            TargetException e = t.apply(new java.io.IOException("HTTP/1.1 header parser received no bytes", after));
            assertEquals(TargetException.Kind.CONNECTION_LOST, e.kind(), e.getMessage());
            assertEquals(TargetException.LostCommand.MAY_STILL_RUN, e.lostCommand());
            assertTrue(e.getMessage().startsWith("kube context 'prod-eks': the patch of deployment 'web' in namespace 'prod' was cut short"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("(" + after.getMessage() + ")"), e.getMessage());
            assertTrue(KubeErrors.unanswered(e), "a watch broken so is opened again");
        }
    }

    @Test
    void aReadAnsweredWithAServerErrorIsAskedOnceMoreAndAWriteIsNot() throws Exception {
        try (MockCluster k = new MockCluster()) {
            k.deployment("web", "api:1", 2);
            k.server.expect().get().withPath("/apis/apps/v1/namespaces/prod/deployments/web")
                    .andReturn(503, new StatusBuilder().withCode(503).withMessage("etcd leader changed").build()).once();
            assertEquals("2", ObjectMaps.str(k.target.get(KubeRef.named("Deployment", "web", "")).orElseThrow(), "spec", "replicas"));
            k.server.expect().patch().withPath("/apis/apps/v1/namespaces/prod/deployments/web")
                    .andReturn(503, new StatusBuilder().withCode(503).withMessage("etcd leader changed").build()).once();
            TargetException e = assertThrows(TargetException.class, () -> k.target.scale(KubeRef.named("Deployment", "web", ""), 5));
            assertEquals(TargetException.Kind.REMOTE_FAILED, e.kind(), e.getMessage());
            assertEquals("API server answered 503 for deployment 'web' in namespace 'prod': etcd leader changed", e.getMessage());
            assertEquals(2, k.fabric8.apps().deployments().inNamespace("prod").withName("web").get().getSpec().getReplicas(),
                    "not sent again");
        }
    }
}
