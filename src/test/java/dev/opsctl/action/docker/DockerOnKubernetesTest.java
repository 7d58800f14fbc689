package dev.opsctl.action.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.FakeStepContext;
import dev.opsctl.action.ParseFixture;
import dev.opsctl.action.StepResult;
import dev.opsctl.target.container.PlacedTarget;
import dev.opsctl.target.kube.KubeContainerBackend;
import dev.opsctl.target.kube.MockCluster;
import dev.opsctl.target.local.LocalTarget;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The userns-remap runbook's docker steps, unchanged, with the run's backend set to kubernetes (fabric8's mock, CRUD). */
class DockerOnKubernetesTest {
    @TempDir
    Path tmp;

    private final MockCluster k = new MockCluster();
    private final DockerActionType type = new DockerActionType();
    private ParseFixture fx;
    private FakeStepContext ctx;

    @BeforeEach
    void setUp() {
        fx = new ParseFixture(tmp);
        PlacedTarget placed = new PlacedTarget(new LocalTarget("ws-node-1"), "kubernetes", () -> new KubeContainerBackend(k.target, "prod"));
        ctx = new FakeStepContext(placed, tmp).set("workspace_label", "app=workspace");
    }

    @AfterEach
    void tearDown() {
        k.close();
    }

    private StepResult run(String yaml) throws Exception {
        return type.execute(fx.parseClean(type, yaml), ctx);
    }

    @Test
    void psAndStopByLabelActOnThePodsOfTheNamespace() throws Exception {
        k.fabric8.pods().inNamespace("prod").resource(MockCluster.pod("ws-1", "workspace")).create();
        k.fabric8.pods().inNamespace("prod").resource(MockCluster.pod("ws-2", "workspace")).create();
        k.fabric8.pods().inNamespace("prod").resource(MockCluster.pod("api-1", "api")).create();
        StepResult ps = run("docker: {ps: {label: \"{{ workspace_label }}\"}}");
        assertEquals(2L, ps.fields().get("count"), ps.message());
        assertEquals(List.of("ws-1", "ws-2"), ps.fields().get("names"));
        StepResult stop = run("docker: {stop: {label: \"{{ workspace_label }}\", timeout: 10s}}");
        assertTrue(stop.succeeded(), stop.message());
        assertEquals("stopped 2 containers", stop.message());
        assertNull(k.fabric8.pods().inNamespace("prod").withName("ws-1").get());
        assertEquals(0L, run("docker: {ps: {label: \"{{ workspace_label }}\"}}").fields().get("count"));
        assertEquals(1, k.fabric8.pods().inNamespace("prod").list().getItems().size(), "other pods are untouched");
    }

    @Test
    void daemonSpecificOperationsSayTheyAreDockerOnly() throws Exception {
        StepResult info = run("docker: {info: {}}");
        assertFalse(info.succeeded());
        assertTrue(info.message().startsWith("'docker info' is Docker-daemon specific and this run's container backend is kubernetes "
                + "(kubernetes namespace 'prod' (kube context 'mock'"), info.message());
        assertTrue(info.message().endsWith("only ps, stop, run and exec work there; run with --backend docker, or skip this step there "
                + "with when: run.backend == 'docker'"), info.message());
        assertFalse(run("docker: {wait: {timeout: 1s}}").succeeded());
        assertFalse(run("docker: {inspect: {container: userns-verify, field: State.Pid}}").succeeded());
    }

    @Test
    void aRefusedRunIsAFailedStepWithTheReason() throws Exception {
        StepResult r = run("docker: {run: {image: base, command: [id], network: bridge}}");
        assertFalse(r.succeeded());
        assertTrue(r.message().contains("network 'bridge' has no meaning for a pod"), r.message());
    }
}
