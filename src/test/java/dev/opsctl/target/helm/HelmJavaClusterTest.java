package dev.opsctl.target.helm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.TargetException;
import dev.opsctl.target.kube.MockCluster;
import dev.opsctl.target.kube.RequestCuttingProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Helm (helm-java) against fabric8's mock server behind the relay, which makes the mock's answers readable to
 * client-go (JSON asked and labelled; no OpenAPI document, so Helm's install stops at its validation): every phase of
 * a release operation reaches the cluster of the kubeconfig opsctl gives it, never the default one.
 */
class HelmJavaClusterTest {
    private static final HelmTarget HELM = HelmTarget.lazy();

    @TempDir
    Path tmp;

    private MockCluster k;
    private RequestCuttingProxy proxy;
    private Path chart;

    @BeforeAll
    static void quietMockServer() {
        Logger.getLogger("io.fabric8.mockwebserver").setLevel(Level.WARNING);
    }

    @BeforeEach
    void setUp() throws Exception {
        chart = Path.of(HelmJavaClusterTest.class.getResource("/charts/hello/Chart.yaml").toURI()).getParent();
        k = new MockCluster();
        proxy = new RequestCuttingProxy(k.server.getPort());
    }

    @AfterEach
    void tearDown() throws Exception {
        proxy.close();
        k.close();
    }

    @Test
    void anUpgradeInstallOfANewReleaseInstallsOnTheNamedClusterNotTheDefaultOne() throws Exception {
        Path kubeconfig = tmp.resolve("kubeconfig");
        MockCluster.writeKubeconfig(kubeconfig, proxy.url());
        HelmTarget.Deploy upgradeInstall = new HelmTarget.Deploy(new HelmTarget.Chart(chart, "app", "prod", List.of(), Map.of()), true,
                true, false, false, false, Duration.ofSeconds(20));
        TargetException e = assertThrows(TargetException.class,
                () -> HELM.deploy(new HelmTarget.Cluster(Files.readString(kubeconfig), "mock"), upgradeInstall));
        assertFalse(e.getMessage().contains("localhost:8080"), e.getMessage());
        assertTrue(proxy.reached("GET /apis") > 0, "the install's discovery reached the named cluster: " + proxy.requests() + "; " + e.getMessage());
        try (var left = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().startsWith("opsctl-helm-")), "the kubeconfig file Helm read is gone");
        }
    }
}
