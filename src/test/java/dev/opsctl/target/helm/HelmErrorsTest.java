package dev.opsctl.target.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.TargetException;
import dev.opsctl.target.TargetException.Kind;
import dev.opsctl.target.TargetException.LostCommand;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Helm's failures as Go words them (client-go, net/http), and what opsctl makes of them. */
class HelmErrorsTest {
    private static final String INSTALL = "cannot install release 'web' in namespace 'prod'";

    private static TargetException change(String helm) {
        return HelmErrors.translate(INSTALL, helm, null, HelmErrors.Call.CHANGE);
    }

    @Test
    void aConnectionThatBrokeWhileHelmWasSendingAChangeIsLostAndMayHaveBeenApplied() {
        for (String helm : new String[] {
                "INSTALLATION FAILED: failed to create resource: Post \"https://10.0.0.1:6443/apis/apps/v1/namespaces/prod/deployments\": "
                        + "read tcp 10.0.0.9:51234->10.0.0.1:6443: read: connection reset by peer",
                "UPGRADE FAILED: cannot patch \"web\" with kind Deployment: Patch \"https://10.0.0.1:6443/apis/apps/v1/namespaces/prod/"
                        + "deployments/web\": http2: client connection lost",
                "uninstall: Failed to purge the release: delete: failed to delete release: sh.helm.release.v1.web.v1: Delete "
                        + "\"https://10.0.0.1:6443/api/v1/namespaces/prod/secrets/sh.helm.release.v1.web.v1\": EOF",
                "INSTALLATION FAILED: create: failed to create: Post \"https://10.0.0.1:6443/api/v1/namespaces/prod/secrets\": "
                        + "net/http: request canceled (Client.Timeout exceeded while awaiting headers)"}) {
            TargetException e = change(helm);
            assertEquals(Kind.CONNECTION_LOST, e.kind(), helm);
            assertEquals(LostCommand.MAY_STILL_RUN, e.lostCommand());
            assertEquals(INSTALL + " was cut short: the connection to the API server broke while Helm was sending (" + helm
                    + "); Helm may have applied it, or part of it", e.getMessage());
        }
    }

    @Test
    void aConnectionThatCouldNotBeMadeIsUnreachableAsBefore() {
        for (String helm : new String[] {
                "Kubernetes cluster unreachable: Get \"https://10.0.0.1:6443/version\": EOF",
                "INSTALLATION FAILED: Kubernetes cluster unreachable: Get \"https://10.0.0.1:6443/version\": dial tcp 10.0.0.1:6443: "
                        + "connect: connection refused",
                "query: failed to query with labels: Get \"https://10.0.0.1:6443/api/v1/namespaces/prod/secrets\": dial tcp "
                        + "10.0.0.1:6443: i/o timeout",
                "Get \"https://api.gone.example:6443/version\": dial tcp: lookup api.gone.example: no such host",
                "Get \"https://10.0.0.1:6443/version\": tls: failed to verify certificate: x509: certificate signed by unknown authority"}) {
            assertEquals(Kind.UNREACHABLE, change(helm).kind(), helm);
        }
    }

    @Test
    void aConnectionRefusedAfterHelmBeganWritingTheReleaseMayHaveWrittenPartOfIt() {
        // Go's words when the API server went away between two of Helm's requests: the release record, or some objects,
        // were written before the refused one
        for (String helm : new String[] {
                "release web failed: failed to create resource: Post \"https://10.0.0.1:6443/apis/apps/v1/namespaces/prod/deployments\": "
                        + "dial tcp 10.0.0.1:6443: connect: connection refused",
                "UPGRADE FAILED: cannot patch \"web\" with kind Deployment: Patch \"https://10.0.0.1:6443/apis/apps/v1/namespaces/prod/"
                        + "deployments/web?fieldManager=helm\": dial tcp 10.0.0.1:6443: connect: connection refused",
                "INSTALLATION FAILED: failed to create resource: Post \"https://10.0.0.1:6443/api/v1/namespaces/prod/configmaps\": dial tcp "
                        + "10.0.0.1:6443: connect: connection refused",
                "update: failed to update: Put \"https://10.0.0.1:6443/api/v1/namespaces/prod/secrets/sh.helm.release.v1.web.v2\": dial "
                        + "tcp 10.0.0.1:6443: connect: connection refused"}) {
            TargetException e = change(helm);
            assertEquals(Kind.CONNECTION_LOST, e.kind(), helm);
            assertEquals(LostCommand.MAY_STILL_RUN, e.lostCommand());
            assertEquals(INSTALL + " was cut short: the API server could not be reached again partway through (" + helm + "); Helm may "
                    + "have written part of the release (its record, some of its objects): check 'helm history' before running it "
                    + "again", e.getMessage());
        }
        assertEquals(Kind.UNREACHABLE, HelmErrors.translate("cannot read release 'web' in namespace 'prod'", "release: Get \"https://"
                + "10.0.0.1:6443/api/v1/namespaces/prod/secrets\": dial tcp 10.0.0.1:6443: connect: connection refused", null,
                HelmErrors.Call.READ).kind(), "a read changed nothing");
    }

    @Test
    void aConnectionRefusedBeforeHelmWroteAnythingIsUnreachable() {
        for (String helm : new String[] {
                "UPGRADE FAILED: query: failed to query with labels: Get \"https://10.0.0.1:6443/api/v1/namespaces/prod/secrets?"
                        + "labelSelector=name%3Dweb%2Cowner%3Dhelm\": dial tcp 10.0.0.1:6443: connect: connection refused",
                "INSTALLATION FAILED: unable to build kubernetes objects from release manifest: Get \"https://10.0.0.1:6443/openapi/v2"
                        + "?timeout=32s\": dial tcp 10.0.0.1:6443: connect: connection refused",
                "rendered manifests contain a resource that already exists. Unable to continue with install: could not get information "
                        + "about the resource ConfigMap \"web\" in namespace \"prod\": Get \"https://10.0.0.1:6443/api/v1/namespaces/prod/"
                        + "configmaps/web\": dial tcp 10.0.0.1:6443: connect: connection refused"}) {
            assertEquals(Kind.UNREACHABLE, change(helm).kind(), helm);
        }
    }

    @Test
    void aChangeAnsweredByATimeoutOrAGatewayRatherThanTheApiServersVerdictIsLostAndMayHaveBeenApplied() {
        // client-go's words: its own timeout awaiting the answer, the 504 text (the API server's request timeout, after
        // which a write goes on; a gateway giving up), a storage timeout, a proxy's 502 page, an answer's body cut off
        for (String helm : new String[] {
                "UPGRADE FAILED: cannot patch \"web\" with kind Deployment: Patch \"https://10.0.0.1:6443/apis/apps/v1/namespaces/prod/"
                        + "deployments/web?fieldManager=helm\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)",
                "INSTALLATION FAILED: failed to create resource: the server was unable to return a response in the time allotted, but "
                        + "may still be processing the request (post deployments.apps)",
                "INSTALLATION FAILED: failed to create resource: etcdserver: request timed out",
                "INSTALLATION FAILED: failed to create resource: an error on the server (\"<html>\\r\\n<head><title>502 Bad Gateway</title>"
                        + "</head>\\r\\n</html>\") has prevented the request from succeeding (post deployments.apps)",
                "INSTALLATION FAILED: failed to create resource: stream error when reading response body, may be caused by closed "
                        + "connection. Please retry. Original error: stream error: stream ID 7; INTERNAL_ERROR; received from peer",
                "UPGRADE FAILED: cannot patch \"web\" with kind Deployment: unexpected error when reading response body. Please retry. "
                        + "Original error: context deadline exceeded"}) {
            TargetException e = change(helm);
            assertEquals(Kind.CONNECTION_LOST, e.kind(), helm);
            assertEquals(LostCommand.MAY_STILL_RUN, e.lostCommand());
            assertTrue(e.mayStillRun(), helm);
            assertTrue(e.getMessage().startsWith(INSTALL + " was cut short: "), e.getMessage());
            assertTrue(e.getMessage().contains("Helm may have applied it, or part of it"), e.getMessage());
        }
        assertEquals(INSTALL + " was cut short: the API server (or a proxy in front of it) did not say whether it was done (failed to "
                + "create resource: etcdserver: request timed out); Helm may have applied it, or part of it: check 'helm history' before "
                + "running it again", change("failed to create resource: etcdserver: request timed out").getMessage());
    }

    @Test
    void aChangeThatRanOutOfTimeMayHaveBeenAppliedAndIsNotAPlainTimeout() {
        // Helm's own timeout (its wait for the release's objects, or the API server's request timeout) ends with the release
        // written, or written in part: running it again is another install or upgrade beside it
        for (String helm : new String[] {"UPGRADE FAILED: context deadline exceeded",
                "INSTALLATION FAILED: failed to create resource: Timeout: request did not complete within requested timeout - context "
                        + "deadline exceeded", "UPGRADE FAILED: timed out waiting for the condition"}) {
            TargetException e = change(helm);
            assertEquals(Kind.TIMEOUT, e.kind(), helm);
            assertTrue(e.mayStillRun(), "not retried beside it unless idempotent: " + helm);
            assertEquals(INSTALL + ": " + helm + "; Helm may have written the release, or part of it: check 'helm history' before "
                    + "running it again", e.getMessage());
        }
        TargetException before = change("INSTALLATION FAILED: Kubernetes cluster unreachable: Get \"https://10.0.0.1:6443/version\": "
                + "context deadline exceeded");
        assertTrue(!before.mayStillRun(), "its reachability check comes before any write: " + before.getMessage());
    }

    @Test
    void aReadAnsweredSoIsAFailureAsBefore() {
        for (String helm : new String[] {"UPGRADE FAILED: context deadline exceeded", "release: the server was unable to return a "
                + "response in the time allotted, but may still be processing the request (get secrets)"}) {
            TargetException e = HelmErrors.translate("cannot read release 'web' in namespace 'prod'", helm, null, HelmErrors.Call.READ);
            assertTrue(!e.mayStillRun(), helm);
        }
    }

    @Test
    void otherAnswersKeepTheirKinds() {
        assertEquals(Kind.TIMEOUT, change("INSTALLATION FAILED: context deadline exceeded").kind());
        assertEquals(Kind.AUTH_FAILED, change("INSTALLATION FAILED: secrets is forbidden: User \"dev\" cannot create resource").kind());
        assertEquals(Kind.REMOTE_FAILED, change("INSTALLATION FAILED: cannot re-use a name that is still in use").kind());
    }

    @Test
    void aReadWhoseConnectionBrokeIsAskedOnceMoreAndBrokenTwiceIsUnreachable() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        String status = HelmJava.read("cannot read release 'web' in namespace 'prod'", () -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("query: failed to query with labels: Get \"https://10.0.0.1:6443/api/v1/namespaces/prod/"
                        + "secrets?labelSelector=name%3Dweb\": read tcp 10.0.0.9:5->10.0.0.1:6443: read: connection reset by peer");
            }
            return "deployed";
        });
        assertEquals("deployed", status);
        assertEquals(2, calls.get());

        calls.set(0);
        TargetException e = assertThrows(TargetException.class, () -> HelmJava.read("cannot read release 'web' in namespace 'prod'", () -> {
            calls.incrementAndGet();
            throw new IllegalStateException("release: Get \"https://10.0.0.1:6443/api/v1/namespaces/prod/secrets\": unexpected EOF");
        }));
        assertEquals(Kind.UNREACHABLE, e.kind(), e.getMessage());
        assertEquals("cannot read release 'web' in namespace 'prod': release: Get \"https://10.0.0.1:6443/api/v1/namespaces/prod/secrets\": "
                + "unexpected EOF (the connection broke twice)", e.getMessage());
        assertEquals(2, calls.get());
    }
}
