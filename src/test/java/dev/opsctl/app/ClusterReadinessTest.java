package dev.opsctl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.checklist.run.ChecklistResult;
import dev.opsctl.checklist.run.ItemResult;
import dev.opsctl.checklist.run.ItemStatus;
import dev.opsctl.target.kube.MockCluster;
import dev.opsctl.target.kube.PreparedCluster;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** checklists/cluster-readiness.yaml, every item a kube probe, on a namespace set up as the documents design it, then broken. */
class ClusterReadinessTest {
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");
    private MockCluster k;

    @BeforeAll
    static void quiet() {
        MOCK_LOG.setLevel(Level.WARNING);
    }

    @BeforeEach
    void setUp() {
        k = new MockCluster();
        PreparedCluster.prepare(k.fabric8);
    }

    @AfterEach
    void tearDown() {
        k.close();
    }

    private ChecklistResult run() throws Exception {
        return ClusterRun.checklist(k, "cluster-readiness", Map.of());
    }

    private static List<String> failed(ChecklistResult r) {
        return r.items().stream().filter(i -> i.status() != ItemStatus.PASSED).map(ItemResult::itemId).toList();
    }

    @Test
    void passesOnAClusterPreparedAsDesigned() throws Exception {
        ChecklistResult r = run();
        assertEquals(List.of(), failed(r), r.items().toString());
        assertEquals(14, r.items().size());
        assertTrue(r.passed());
    }

    @Test
    void failsNamingTheItemWhenTheSandboxHasNoDefaultDenyEgress() throws Exception {
        k.fabric8.network().networkPolicies().inNamespace("sandboxes").withName("default-deny-egress").delete();
        ChecklistResult r = run();
        assertFalse(r.passed());
        assertEquals(List.of("sandbox-default-deny-egress"), failed(r));
        assertTrue(r.find("sandbox-default-deny-egress").orElseThrow().toString().contains("networkpolicy 'default-deny-egress' not found in namespace 'sandboxes'"),
                r.find("sandbox-default-deny-egress").orElseThrow().toString());
    }

    @Test
    void anEgressPolicyThatAllowsSomethingOrSelectsSomePodsIsNotADefaultDeny() throws Exception {
        k.fabric8.network().networkPolicies().inNamespace("sandboxes").withName("default-deny-egress").edit(p -> {
            p.getSpec().setEgress(List.of(new io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder()
                    .addNewTo().withNewNamespaceSelector().endNamespaceSelector().endTo().build()));
            return p;
        });
        assertEquals(List.of("sandbox-default-deny-egress"), failed(run()));
    }

    @Test
    void aNamespaceWithoutRestrictedAndAQuotaBelowTheDesignFail() throws Exception {
        k.fabric8.namespaces().withName("mlops").edit(n -> {
            n.getMetadata().getLabels().put("pod-security.kubernetes.io/enforce", "baseline");
            return n;
        });
        k.fabric8.resourceQuotas().inNamespace("app").withName("app-quota").edit(q -> {
            q.getSpec().getHard().put("requests.memory", new io.fabric8.kubernetes.api.model.Quantity("10Gi"));
            return q;
        });
        k.fabric8.resources(io.fabric8.kubernetes.api.model.node.v1.RuntimeClass.class).withName("gvisor").delete();
        assertEquals(List.of("pss-mlops", "quota-app-memory", "runtimeclass-gvisor"), failed(run()));
    }
}
