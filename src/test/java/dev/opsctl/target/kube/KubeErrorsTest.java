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
        assertEquals(TargetException.Kind.UNREACHABLE, broken.kind());
        assertEquals("kube context 'prod-eks' is unreachable: ProtocolException: Unexpected opcode CONTROL_0xB", broken.getMessage());
        assertTrue(KubeErrors.unanswered(broken));
        assertFalse(KubeErrors.unanswered(KubeErrors.translate("prod-eks", Optional.of(web), status(403, "forbidden"))),
                "a refusal is an answer: watching again would only be refused again");
        assertFalse(KubeErrors.unanswered(KubeErrors.translate("prod-eks", Optional.of(web),
                new io.fabric8.kubernetes.client.KubernetesClientTimeoutException(java.util.List.of(), 1, java.util.concurrent.TimeUnit.SECONDS))));
    }
}
