package dev.opsctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.engine.ExitCodes;
import dev.opsctl.target.kube.MockCluster;
import dev.opsctl.target.kube.RequestCuttingProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code opsctl run} of a runbook whose kube step's request is cut off after the mock API server took it in (the
 * kubeconfig of the command's environment points at a relay that resets the connection instead of passing the answer):
 * the change may have been made, so the step is connection_lost, not sent again, and the run halts for a human.
 */
class KubeConnectionLostRunTest {
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    @TempDir
    Path tmp;

    private MockCluster k;
    private RequestCuttingProxy proxy;
    private Map<String, String> env;

    @BeforeAll
    static void quiet() {
        MOCK_LOG.setLevel(Level.WARNING);
    }

    @BeforeEach
    void setUp() throws Exception {
        k = new MockCluster();
        k.deployment("web", "api:1", 2);
        proxy = new RequestCuttingProxy(k.server.getPort());
        Path kubeconfig = tmp.resolve("kubeconfig");
        MockCluster.writeKubeconfig(kubeconfig, proxy.url());
        env = Map.of("KUBECONFIG", kubeconfig.toString(), "HOME", tmp.toString(), "USER", "oncall", "TERM", "dumb", "NO_COLOR", "1");
    }

    @AfterEach
    void tearDown() throws Exception {
        proxy.close();
        k.close();
    }

    private CliResult run(String step) throws Exception {
        Path runbook = tmp.resolve("change.yaml");
        Files.writeString(runbook, """
                apiVersion: opsctl/v1
                kind: Runbook
                metadata: {name: change}
                targets: local
                steps:
                %s
                  - id: after
                    kube: {get: {kind: Deployment, name: web}}
                """.formatted(step));
        return CliResult.run(env, tmp, "run", runbook.toString(), "--yes", "--state-dir", tmp.resolve("state").toString());
    }

    private int containers() {
        return k.fabric8.apps().deployments().inNamespace("prod").withName("web").get().getSpec().getTemplate().getSpec().getContainers().size();
    }

    @Test
    void aPatchCutOffAfterTheServerTookItIsConnectionLostNotSentAgainAndHaltsTheRunWithExitFour() throws Exception {
        proxy.cut("PATCH", 1);
        CliResult r = run("""
                  - id: add-sidecar
                    kube:
                      patch: {kind: Deployment, name: web, type: json, patch: [{op: add, path: /spec/template/spec/containers/-, value: {name: sidecar, image: "s:1"}}]}
                    retries: 2
                    delay: 1s
                """);
        assertEquals(ExitCodes.HUMAN_MUST_ACT, r.code(), r.dump());
        assertEquals(1, proxy.reached("PATCH"), "not sent again by fabric8 nor by the step's retries: " + proxy.requests());
        assertEquals(2, containers(), "the API server applied it once");
        assertTrue(r.err().contains("host localhost: step 'add-sidecar' lost its connection to the API server: kube context 'mock': the patch of "
                + "deployment 'web' in namespace 'prod' was cut short: the connection to the API server broke before its answer arrived "
                + "(Connection reset); the API server may have applied it; not retried (attempt 1 of 3): the step is not idempotent"), r.dump());
        assertFalse(r.err().contains("unreachable"), r.dump());
        java.util.List<String> sent = proxy.requests();
        assertFalse(sent.subList(sent.indexOf("PATCH /apis/apps/v1/namespaces/prod/deployments/web"), sent.size()).stream()
                .anyMatch(q -> q.startsWith("GET /apis/apps/")), "the halted run did not go on to step 'after': " + sent);
    }

    @Test
    void aPatchAnswered5xxWhoseBodyWasCutIsNotRetriedAndHaltsTheRunWithExitFour() throws Exception {
        proxy.answerThenCut("PATCH", 3, 503, false);
        CliResult r = run("""
                  - id: add-sidecar
                    kube:
                      patch: {kind: Deployment, name: web, type: json, patch: [{op: add, path: /spec/template/spec/containers/-, value: {name: sidecar, image: "s:1"}}]}
                    retries: 2
                    delay: 1s
                """);
        assertEquals(ExitCodes.HUMAN_MUST_ACT, r.code(), r.dump());
        assertEquals(1, proxy.reached("PATCH"), "not sent again by fabric8 nor by the step's retries: " + proxy.requests());
        assertEquals(2, containers(), "the API server applied it once");
        assertTrue(r.err().contains("host localhost: step 'add-sidecar' lost its connection to the API server: kube context 'mock': the patch of "
                + "deployment 'web' in namespace 'prod' was cut short: the connection to the API server broke partway through its answer "
                + "(its body stopped after 48 of 97 bytes: EOF reached while reading); the API server may have applied it; not retried "
                + "(attempt 1 of 3): the step is not idempotent"), r.dump());
    }

    @Test
    void aPatchAnsweredGatewayTimeoutIsNotRetriedAndHaltsTheRunWithExitFour() throws Exception {
        proxy.answerInstead("PATCH", 3, 504);
        CliResult r = run("""
                  - id: add-sidecar
                    kube:
                      patch: {kind: Deployment, name: web, type: json, patch: [{op: add, path: /spec/template/spec/containers/-, value: {name: sidecar, image: "s:1"}}]}
                    retries: 2
                    delay: 1s
                """);
        assertEquals(ExitCodes.HUMAN_MUST_ACT, r.code(), r.dump());
        assertEquals(1, proxy.reached("PATCH"), "not sent again by the step's retries: " + proxy.requests());
        assertEquals(2, containers(), "the API server applied it once");
        assertTrue(r.err().contains("answered 504 (the gateway gave up); the API server may have applied it; not retried (attempt 1 of 3)"),
                r.dump());
    }

    @Test
    void aClusterLockWhoseReleaseIsCutOffIsNotSaidToBeReleased() throws Exception {
        proxy.cut("PUT /apis/coordination.k8s.io/v1/namespaces/prod/leases/opsctl-change", 1);
        CliResult r = run("");
        assertEquals(ExitCodes.OK, r.code(), r.dump());
        assertEquals(1, proxy.cuts(), "the release was cut off: " + proxy.requests());
        assertFalse(r.err().contains("cluster lock 'opsctl-change' released"), r.dump());
        assertTrue(r.err().contains("cluster lock 'opsctl-change' in namespace 'prod' may not have been released: kube context 'mock': "
                + "the update of lease 'opsctl-change' in namespace 'prod' was cut short"), r.dump());
    }

    @Test
    void aClusterLockTheAPIServerWentAwayBeforeReleasingStaysHeldAndTheOperatorIsToldUntilWhen() throws Exception {
        // on an address of its own (127.0.1.204): the port it frees cannot be taken by another test's server
        try (RequestCuttingProxy own = new RequestCuttingProxy(k.server.getPort(), java.net.InetAddress.getByName("127.0.1.204"))) {
            MockCluster.writeKubeconfig(Path.of(env.get("KUBECONFIG")), own.url());
            own.refuseAfter("GET /apis/apps/v1/namespaces/prod/deployments/web");
            CliResult r = run("");
            assertEquals(ExitCodes.OK, r.code(), r.dump());
            assertTrue(k.fabric8.leases().inNamespace("prod").withName("opsctl-change").get().getSpec().getHolderIdentity()
                    .startsWith("oncall@"), "still held under the run's identity");
            assertFalse(r.err().contains("cluster lock 'opsctl-change' released"), r.dump());
            assertTrue(r.err().matches("(?s).*cluster lock 'opsctl-change' in namespace 'prod' was not released: kube context 'mock' is "
                    + "unreachable: connection refused; it stays held by 'oncall@[^']+' until \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ \\(60s after its last renewal\\): "
                    + "until then another run of runbook 'change' against this cluster is refused \\(exit 6\\); fix: wait until then, or "
                    + "delete it: kubectl --context mock -n prod delete lease opsctl-change\n.*"), r.dump());
        }
    }

    @Test
    void aClusterGoneAfterTheLockWasTakenIsNamedAsTheClusterNotAsTheHost() throws Exception {
        // on an address of its own (127.0.1.205): the port it frees cannot be taken by another test's server
        try (RequestCuttingProxy own = new RequestCuttingProxy(k.server.getPort(), java.net.InetAddress.getByName("127.0.1.205"))) {
            MockCluster.writeKubeconfig(Path.of(env.get("KUBECONFIG")), own.url());
            own.refuseAfter("POST /apis/coordination.k8s.io/v1/namespaces/prod/leases");
            CliResult r = run("");
            assertEquals(ExitCodes.FAILED, r.code(), r.dump());
            assertTrue(r.err().contains("host localhost: step 'after' could not reach the cluster: kube context 'mock' is unreachable: "
                    + "connection refused\n  fix: check that the API server of kube context 'mock' is up and reachable from here "
                    + "(kubectl --context mock get --raw /readyz); rerun with 'opsctl runs resume "), r.dump());
            assertFalse(r.err().contains("ssh localhost"), r.dump());
            assertFalse(r.err().contains("could not reach the host"), r.dump());
        }
    }

    @Test
    void anExecThatTimedOutIsNotRetriedAndHaltsTheRunItsCommandMayStillRunInTheContainer() throws Exception {
        k.fabric8.pods().inNamespace("prod").resource(MockCluster.pod("web-1", "web")).create();
        // the relay holds the command's exit status back: the step gives it 1 s. Closing the exec stream does not stop a
        // command in a real container (kubernetes/kubernetes#89031): it runs on
        k.server.expect().get().withPath("/api/v1/namespaces/prod/pods/web-1/exec?command=migrate&command=--all&container=app&stdout=true&stderr=true")
                .andUpgradeToWebSocket().open(new io.fabric8.kubernetes.client.server.mock.OutputStreamMessage("start\n"),
                        new io.fabric8.kubernetes.client.server.mock.StatusStreamMessage(0)).done().always();
        proxy.holdUpgrades();
        CliResult r = run("""
                  - id: migrate
                    kube: {exec: {pod: web-1, container: app, command: [migrate, --all], timeout: 1s}}
                    retries: 1
                    delay: 1s
                """);
        assertEquals(ExitCodes.HUMAN_MUST_ACT, r.code(), r.dump());
        assertEquals(1, proxy.reached("GET /api/v1/namespaces/prod/pods/web-1/exec"), "not run a second time beside it: " + proxy.requests());
        assertTrue(r.err().contains("'migrate --all' in pod 'web-1' did not finish within 1s; it may still be running in the container: "
                + "closing the exec stream does not stop it"), r.dump());
    }

    @Test
    void aClusterLockWhoseTakingIsCutOffSaysItMayBeHeldAndUntilWhen() throws Exception {
        proxy.cut("POST /apis/coordination.k8s.io/v1/namespaces/prod/leases", 1);
        CliResult r = run("");
        assertEquals(ExitCodes.FAILED, r.code(), r.dump());
        assertTrue(k.fabric8.leases().inNamespace("prod").withName("opsctl-change").get().getSpec().getHolderIdentity()
                .startsWith("oncall@"), "the API server created it, under this run's identity");
        assertTrue(r.err().matches("(?s).*cannot take the cluster lock 'opsctl-change' in namespace 'prod': kube context 'mock': the \\w+ "
                + "(of|for) lease 'opsctl-change' in namespace 'prod' was cut short: .*; the API server may have applied it; if it did, the lock "
                + "is held by 'oncall@[^']+', which nothing will renew or release, until \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ "
                + "\\(60s\\): until then every run of runbook 'change' against this cluster is refused \\(exit 6\\).*"), r.dump());
        assertTrue(r.err().contains("fix: wait until then, or delete it: kubectl --context mock -n prod delete lease opsctl-change"), r.dump());
    }

    @Test
    void anIdempotentStepCutOffSoIsRunAgainAndTheRunGoesOn() throws Exception {
        proxy.cut("PATCH", 1);
        CliResult r = run("""
                  - id: scale
                    kube: {scale: {kind: Deployment, name: web, replicas: 5}}
                    idempotent: true
                    retries: 1
                    delay: 1s
                """);
        assertEquals(ExitCodes.OK, r.code(), r.dump());
        assertEquals(5, k.fabric8.apps().deployments().inNamespace("prod").withName("web").get().getSpec().getReplicas());
        // attempt 2 reads the replicas the cut-off patch set, and has nothing left to change
        assertEquals(1, proxy.reached("PATCH"), proxy.requests().toString());
        assertTrue(r.err().contains("host localhost: note: step 'scale' attempt 1 of 2: kube context 'mock': the patch of deployment 'web'"
                + " in namespace 'prod' was cut short"), r.dump());
        assertTrue(r.err().contains("host localhost: step 'scale' attempt 2\n"), r.dump());
        assertTrue(r.err().contains("host localhost: step 'after' ok"), r.dump());
    }
}
