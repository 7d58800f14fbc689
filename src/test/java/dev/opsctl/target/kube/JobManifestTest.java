package dev.opsctl.target.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.ActionRegistry;
import dev.opsctl.runbook.load.Checklists;
import dev.opsctl.runbook.load.LoadResult;
import dev.opsctl.runbook.load.RunbookLoader;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** deploy/kubernetes/opsctl-job.yaml: what it grants, how the Job runs, and that the cluster accepts it (fabric8's mock). */
class JobManifestTest {
    private static final Path MANIFEST = Path.of("deploy/kubernetes/opsctl-job.yaml");

    private final MockCluster k = new MockCluster();

    @AfterEach
    void tearDown() {
        k.close();
    }

    private List<HasMetadata> objects() throws Exception {
        return k.fabric8.load(new ByteArrayInputStream(Files.readAllBytes(MANIFEST))).items();
    }

    private <T> T one(Class<T> type) throws Exception {
        return objects().stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow(() -> new AssertionError("no " + type));
    }

    private static Set<String> verbs(Role role, String group, String resource) {
        return role.getRules().stream().filter(r -> r.getApiGroups().contains(group) && r.getResources().contains(resource))
                .map(PolicyRule::getVerbs).flatMap(List::stream).collect(Collectors.toSet());
    }

    @Test
    void theRoleLetsTheRunTakeRenewAndReleaseItsLeaseAndDoNoMoreThanItsRunbookNeeds() throws Exception {
        Role role = one(Role.class);
        assertEquals(Set.of("get", "create", "update"), verbs(role, "coordination.k8s.io", "leases"));
        assertEquals(Set.of("get", "list", "watch", "create", "delete"), verbs(role, "", "pods"));
        assertEquals(Set.of("get"), verbs(role, "", "pods/log"));
        assertEquals(Set.of("get", "list", "watch"), verbs(role, "apps", "deployments"));
        assertTrue(role.getRules().stream().noneMatch(r -> r.getVerbs().contains("*") || r.getResources().contains("*")), "no wildcards");
        RoleBinding binding = one(RoleBinding.class);
        assertEquals(role.getMetadata().getName(), binding.getRoleRef().getName());
        assertEquals("opsctl", binding.getSubjects().get(0).getName());
    }

    @Test
    void theJobRunsTheConfigMapsRunbookAsNonRootOnAReadOnlyRootWithLimits() throws Exception {
        Job job = one(Job.class);
        var pod = job.getSpec().getTemplate().getSpec();
        assertEquals("opsctl", pod.getServiceAccountName());
        assertEquals("Never", pod.getRestartPolicy());
        assertEquals(0, job.getSpec().getBackoffLimit());
        assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot());
        Container c = pod.getContainers().get(0);
        assertEquals(Boolean.TRUE, c.getSecurityContext().getReadOnlyRootFilesystem());
        assertEquals(Boolean.FALSE, c.getSecurityContext().getAllowPrivilegeEscalation());
        assertNotNull(c.getResources().getLimits().get("memory"));
        assertNotNull(c.getResources().getRequests().get("cpu"));
        assertTrue(c.getArgs().containsAll(List.of("run", "/runbooks/sandbox-drain-verify.yaml", "--backend=kubernetes", "--yes")), c.getArgs().toString());
        assertTrue(c.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/tmp")), "the JVM needs a writable /tmp");
    }

    @Test
    void theRunbookInTheConfigMapLoadsWithoutProblems() throws Exception {
        String text = one(ConfigMap.class).getData().get("sandbox-drain-verify.yaml");
        LoadResult r = new RunbookLoader(ActionRegistry.standard(), Checklists.ANY).load("sandbox-drain-verify.yaml", text, Path.of("."));
        assertTrue(r.ok() && r.problems().isEmpty(), r.problems().render());
        assertEquals("sandbox-drain-verify", r.runbook().orElseThrow().name());
    }

    @Test
    void theWholeManifestAppliesToACluster() throws Exception {
        String text = Files.readString(MANIFEST, StandardCharsets.UTF_8);
        List<KubeTarget.Applied> applied = k.target.apply(text, "sandboxes");
        assertEquals(List.of("ServiceAccount", "Role", "RoleBinding", "ConfigMap", "Job"), applied.stream().map(KubeTarget.Applied::kind).toList());
        assertNotNull(k.fabric8.batch().v1().jobs().inNamespace("sandboxes").withName("opsctl-sandbox-drain-verify").get());
        assertNotNull(k.fabric8.rbac().roles().inNamespace("sandboxes").withName("opsctl-runner").get());
    }
}
