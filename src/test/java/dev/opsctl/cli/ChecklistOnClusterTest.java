package dev.opsctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.engine.ExitCodes;
import dev.opsctl.target.kube.MockCluster;
import dev.opsctl.target.kube.PreparedCluster;
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
 * {@code opsctl checklist run cluster-readiness} as a whole command line, its kube probes finding fabric8's
 * mock server (CRUD) through the KUBECONFIG of the command's environment, not the test process's.
 */
class ChecklistOnClusterTest {
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    @TempDir
    Path tmp;

    private MockCluster k;
    private Map<String, String> env;

    @BeforeAll
    static void quiet() {
        MOCK_LOG.setLevel(Level.WARNING);
    }

    @BeforeEach
    void setUp() throws Exception {
        k = new MockCluster();
        PreparedCluster.prepare(k.fabric8);
        Path kubeconfig = tmp.resolve("kubeconfig");
        MockCluster.writeKubeconfig(kubeconfig, k.fabric8.getConfiguration().getMasterUrl());
        env = Map.of("KUBECONFIG", kubeconfig.toString(), "HOME", tmp.toString(), "USER", "oncall", "TERM", "dumb",
                "NO_COLOR", "1");
    }

    @AfterEach
    void tearDown() {
        k.close();
    }

    private CliResult run() {
        return CliResult.run(env, Path.of("").toAbsolutePath(), "checklist", "run", "cluster-readiness");
    }

    @Test
    void aPreparedClusterPassesWithExitZero() {
        CliResult r = run();
        assertEquals(ExitCodes.OK, r.code(), r.dump());
        assertFalse(r.out().contains("FAIL"), r.dump());
    }

    @Test
    void aMissingDefaultDenyEgressFailsTheChecklistWithExitFiveNamingTheItem() {
        k.fabric8.network().networkPolicies().inNamespace("sandboxes").withName("default-deny-egress").delete();
        CliResult r = run();
        assertEquals(ExitCodes.GATE_FAILED, r.code(), r.dump());
        String all = r.out() + r.err();
        assertTrue(all.contains("sandbox-default-deny-egress"), r.dump());
        assertTrue(all.contains("networkpolicy 'default-deny-egress' not found in namespace 'sandboxes'"), r.dump());
    }
}
