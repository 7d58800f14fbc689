package dev.opsctl.action.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.FakeStepContext;
import dev.opsctl.action.ParseFixture;
import dev.opsctl.action.StepResult;
import dev.opsctl.action.StepResult.Outcome;
import dev.opsctl.target.helm.HelmTarget;
import dev.opsctl.target.kube.KubeClientFactory;
import dev.opsctl.target.kube.KubeConnections;
import dev.opsctl.target.kube.KubeTarget;
import dev.opsctl.target.kube.MockCluster;
import dev.opsctl.target.kube.RequestCuttingProxy;
import dev.opsctl.target.local.LocalTarget;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * helm steps ({@code via: kube}: Helm renders for real, the objects go through the kube target) whose requests a relay
 * cuts off after the mock API server took them in: an upgrade cut off is connection_lost and says the change may still
 * be under way (the engine halts the rollout unless the step is idempotent); a status read is asked once more.
 */
class HelmLostConnectionTest {
    private static final HelmTarget HELM = HelmTarget.lazy();

    @TempDir
    Path tmp;

    private MockCluster k;
    private RequestCuttingProxy proxy;
    private KubeTarget kube;
    private HelmActionType type;
    private FakeStepContext ctx;
    private ParseFixture fx;

    @BeforeAll
    static void quietMockServer() {
        Logger.getLogger("io.fabric8.mockwebserver").setLevel(Level.WARNING);
    }

    @BeforeEach
    void setUp() throws Exception {
        Path charts = Path.of(HelmLostConnectionTest.class.getResource("/charts/hello/Chart.yaml").toURI()).getParent().getParent();
        k = new MockCluster();
        proxy = new RequestCuttingProxy(k.server.getPort());
        useServer(proxy.url());
        ctx = new FakeStepContext(new LocalTarget("controller"), tmp);
        fx = new ParseFixture(charts);
    }

    private void useServer(String server) throws Exception {
        Path kubeconfig = tmp.resolve("kubeconfig");
        MockCluster.writeKubeconfig(kubeconfig, server);
        kube = new KubeClientFactory(Map.of("KUBECONFIG", kubeconfig.toString()), tmp, tmp.resolve("sa")).open(Optional.empty(), Optional.empty());
        type = new HelmActionType(KubeConnections.of(kube), context -> "", HELM);
    }

    @AfterEach
    void tearDown() throws Exception {
        kube.close();
        proxy.close();
        k.close();
    }

    private StepResult run(String yaml) throws Exception {
        return type.execute(fx.parseClean(type, yaml), ctx);
    }

    @Test
    void anUpgradeWhoseDeploymentCreateIsCutOffIsConnectionLostAndMayStillBeUnderWay() throws Exception {
        proxy.cut("POST /apis/apps/v1/namespaces/prod/deployments", 1);
        StepResult r = run("helm: {upgrade: {release: app, chart: hello, install: true, via: kube}}\n");
        assertEquals(Outcome.CONNECTION_LOST, r.outcome(), r.message());
        assertTrue(r.commandMayStillRun(), "the engine halts the rollout for a human unless the step is idempotent");
        assertEquals("kube context 'mock': the apply was cut short after 2 of 3 objects (configmap 'app-hello' created, service "
                + "'app-hello' created), at deployment 'app-hello' in namespace 'prod', which may have been applied: kube context 'mock': "
                + "the request for deployment 'app-hello' in namespace 'prod' was cut short: the connection to the API server broke before "
                + "its answer arrived (Connection reset); the API server may have applied it", r.message());
        assertEquals(1, proxy.reached("POST /apis/apps/v1/namespaces/prod/deployments"), proxy.requests().toString());
        assertTrue(k.fabric8.apps().deployments().inNamespace("prod").withName("app-hello").get() != null, "the server created it");
    }

    @Test
    void anUpgradeWhoseRevisionRecordIsCutOffNamesTheObjectsItApplied() throws Exception {
        proxy.cut("POST /api/v1/namespaces/prod/secrets", 1);
        StepResult r = run("helm: {upgrade: {release: app, chart: hello, install: true, via: kube}}\n");
        assertEquals(Outcome.CONNECTION_LOST, r.outcome(), r.message());
        assertTrue(r.commandMayStillRun(), r.message());
        assertEquals("kube context 'mock': release 'app' in namespace 'prod' was written in part (applied 3 objects: configmap "
                + "'app-hello' created, service 'app-hello' created, deployment 'app-hello' created) when the connection to the API "
                + "server broke: kube context 'mock': the request for secret 'opsctl.helm.app.v1' in namespace 'prod' was cut short: "
                + "the connection to the API server broke before its answer arrived (Connection reset); the API server may have "
                + "applied it", r.message());
    }

    @Test
    void aStatusReadCutOffIsAskedOnceMoreAndAnswers() throws Exception {
        assertEquals(Outcome.CHANGED, run("helm: {install: {release: app, chart: hello, via: kube}}\n").outcome());
        proxy.cutMidAnswer("GET /apis/apps/v1/namespaces/prod/deployments", 1);
        StepResult r = run("helm: {status: {release: app, via: kube}}\n");
        assertEquals(Outcome.OK, r.outcome(), r.message());
        assertEquals(1, proxy.cuts());
    }

    @Test
    void anUpgradeRefusedAfterItsObjectsWereAppliedIsConnectionLostNotUnreachable() throws Exception {
        // on an address of its own (127.0.1.203): the port it frees cannot be taken by another test's server
        try (RequestCuttingProxy own = new RequestCuttingProxy(k.server.getPort(), java.net.InetAddress.getByName("127.0.1.203"))) {
            kube.close();
            useServer(own.url());
            own.refuseAfter("POST /apis/apps/v1/namespaces/prod/deployments");
            StepResult r = run("helm: {upgrade: {release: app, chart: hello, install: true, via: kube}}\n");
            assertTrue(k.fabric8.apps().deployments().inNamespace("prod").withName("app-hello").get() != null, "the objects were applied");
            assertEquals(Outcome.CONNECTION_LOST, r.outcome(), r.message());
            assertTrue(r.commandMayStillRun(), "the engine halts the rollout for a human unless the step is idempotent");
            assertTrue(r.message().startsWith("kube context 'mock': release 'app' in namespace 'prod' was written in part before the API "
                    + "server could not be reached (applied 3 objects: configmap 'app-hello' created, service 'app-hello' created, "
                    + "deployment 'app-hello' created): kube context 'mock' is unreachable: connection refused"), r.message());
        }
    }

    @Test
    void anAtomicInstallRefusedAfterItsFirstObjectIsConnectionLostNamingItWhenItsCleanUpCannotReachTheServerEither() throws Exception {
        // on an address of its own (127.0.1.208): the port it frees cannot be taken by another test's server
        try (RequestCuttingProxy own = new RequestCuttingProxy(k.server.getPort(), java.net.InetAddress.getByName("127.0.1.208"))) {
            kube.close();
            useServer(own.url());
            own.refuseAfter("POST /api/v1/namespaces/prod/configmaps");
            StepResult r = run("helm: {install: {release: app, chart: hello, atomic: true, via: kube}}\n");
            assertTrue(k.fabric8.configMaps().inNamespace("prod").withName("app-hello").get() != null, "the first object was written");
            assertEquals(Outcome.CONNECTION_LOST, r.outcome(), r.message());
            assertTrue(r.commandMayStillRun(), "the engine halts the rollout for a human unless the step is idempotent");
            assertEquals("kube context 'mock': the apply was cut short after 1 of 3 objects (configmap 'app-hello' created): service "
                    + "'app-hello' in namespace 'prod' and the 1 object after it were not applied: kube context 'mock' is unreachable: "
                    + "connection refused (atomic: could not delete what was applied: kube context 'mock' is unreachable: connection "
                    + "refused)", r.message());
        }
    }

    @Test
    void aRefusedConnectionIsUnreachableAsBefore() throws Exception {
        kube.close();
        useServer(MockCluster.NOTHING_LISTENS);
        dev.opsctl.target.TargetException e = org.junit.jupiter.api.Assertions.assertThrows(dev.opsctl.target.TargetException.class,
                () -> run("helm: {upgrade: {release: app, chart: hello, install: true, via: kube}}\n"));
        assertEquals(dev.opsctl.target.TargetException.Kind.UNREACHABLE, e.kind(), e.getMessage());
        assertEquals("kube context 'mock' is unreachable: connection refused", e.getMessage());
    }
}
