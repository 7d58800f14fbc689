package dev.opsctl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.ActionRegistry;
import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.fakes.RecordingSink;
import dev.opsctl.event.RunEvent;
import dev.opsctl.runbook.load.Checklists;
import dev.opsctl.runbook.model.Gates;
import dev.opsctl.runbook.model.Runbook;
import dev.opsctl.runbook.model.Step;
import dev.opsctl.target.kube.MockCluster;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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
 * The shipped runbooks/userns-remap.yaml with {@code --backend kubernetes} against fabric8's mock server (CRUD),
 * through the app layer (loader, engine, journal, cluster lock) on a local host. Its container section runs: from
 * record-containers to remove-verify-container, as shipped (app-drain POSTs to a local stand-in of the application that
 * lets one workspace pod finish), with its before_run and after_host gates or without any, and without triggers or
 * rollback: {@link UsernsRemapOnKubernetesRolloutTest} runs the whole runbook. Retry delays are not slept. A
 * {@link PlayedKubelet} finishes each verification pod and answers its log.
 */
class UsernsRemapOnKubernetesTest {
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");
    private static final List<String> DAEMON_STEPS = List.of("record-containers", "backup-config", "create-dockremap", "install-subids",
            "set-userns-remap", "show-config", "restart-docker", "wait-docker", "verify-userns", "ensure-base-image",
            "start-verify-container", "container-pid", "verify-uid-map", "remove-verify-container");

    @TempDir
    Path tmp;

    private WorkspaceCluster cluster;
    private MockCluster k;
    private PlayedKubelet kubelet;
    /** Each verification pod as created: name to pod. */
    private Map<String, Pod> verified;
    private com.sun.net.httpserver.HttpServer app;

    @BeforeAll
    static void quiet() {
        MOCK_LOG.setLevel(Level.WARNING);
    }

    @BeforeEach
    void setUp() throws Exception {
        cluster = new WorkspaceCluster();
        k = cluster.k;
        app = cluster.application("127.0.0.1", 0, () -> false);
        kubelet = new PlayedKubelet(k);
        verified = kubelet.ran;
    }

    @AfterEach
    void tearDown() throws Exception {
        kubelet.close();
        app.stop(0);
        cluster.close();
    }

    /** The shipped runbook's container section, gates, triggers and rollback left out. */
    private static Runbook containerSection() throws Exception {
        return containerSection(false);
    }

    /** With {@code gates}: the shipped before_run and after_host gates too (after_run needs Prometheus and the host's journal). */
    private static Runbook containerSection(boolean gates) throws Exception {
        Runbook rb = new LoaderRunbooks(ActionRegistry.standard(), Checklists.ANY).load(ShippedRunbooksTest.DIR.resolve("userns-remap.yaml"));
        List<Step> steps = new ArrayList<>();
        boolean in = false;
        for (Step s : rb.steps()) {
            in |= s.id().equals("record-containers");
            if (in) {
                steps.add(s);
            }
            if (s.id().equals("remove-verify-container")) {
                break;
            }
        }
        Gates g = Gates.NONE;
        if (gates) {
            java.util.Map<dev.opsctl.runbook.model.GatePhase, List<dev.opsctl.runbook.model.GateRef>> phases =
                    new java.util.EnumMap<>(rb.gates().byPhase());
            phases.remove(dev.opsctl.runbook.model.GatePhase.AFTER_RUN);
            g = new Gates(phases, rb.gates().approvals());
        }
        return new Runbook(rb.file(), rb.digest(), rb.metadata(), rb.params(), rb.targets(), rb.strategy(), g, List.of(),
                steps, List.of(), rb.pos(), Optional.empty());
    }

    private int run(RecordingSink events, List<String> params) throws Exception {
        return run(events, params, containerSection(), GateAnswers.NONE);
    }

    private int run(RecordingSink events, List<String> params, Runbook rb, GateAnswers answers) throws Exception {
        Path inventory = Files.writeString(tmp.resolve("inventory.yaml"), """
                apiVersion: opsctl/v1
                kind: Inventory
                hosts:
                  ws-node-1: {address: 127.0.0.1, connection: local}
                groups:
                  docker_hosts: {hosts: [ws-node-1]}
                """);
        Services services = cluster.services(tmp, rb, Clock.systemDefaultZone(), d -> { });
        RunRequest request = WorkspaceCluster.kubernetesRun(rb, inventory, answers, java.util.stream.Stream.concat(params.stream(),
                java.util.stream.Stream.of("app_port=" + app.getAddress().getPort())).toList());
        return services.runs().run(request, events);
    }

    private static RunEvent.StepFinished step(RecordingSink events, String id) {
        return events.of(RunEvent.StepFinished.class).stream().filter(e -> e.step().equals(id)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("step '" + id + "' did not finish: " + events.all()));
    }

    @Test
    void theDrainStopsTheLabelledPodsTheVerificationPodsRunUnderGvisorAndTheDaemonStepsAreSkipped() throws Exception {
        RecordingSink events = new RecordingSink();
        int code = run(events, List.of("workspace_label=app=workspace", "sandbox_runtime=gvisor"));
        assertEquals(ExitCodes.OK, code, events.all().toString());

        assertEquals("ok", step(events, "record-pods").outcome(), step(events, "record-pods").toString());
        assertEquals("failed", step(events, "wait-containers-stopped").outcome(), "ws-2 ignores the drain");
        assertTrue(step(events, "wait-containers-stopped").ignored());
        assertTrue(step(events, "force-stop").message().startsWith("stopped "), step(events, "force-stop").toString());
        assertEquals(null, k.fabric8.pods().inNamespace("prod").withName("ws-2").get(), "the pod that ignored the drain was stopped");
        assertEquals("Succeeded", k.fabric8.pods().inNamespace("prod").withName("ws-1").get().getStatus().getPhase(),
                "the pod the drain finished is left as Docker leaves an exited container");
        assertEquals("Running", k.fabric8.pods().inNamespace("prod").withName("api-1").get().getStatus().getPhase(), "other pods untouched");

        assertEquals("ok", step(events, "verify-container-id").outcome(), step(events, "verify-container-id").toString());
        assertEquals("ok", step(events, "verify-sandbox").outcome(), step(events, "verify-sandbox").toString());
        assertEquals(2, verified.size(), verified.keySet().toString());
        for (Pod p : verified.values()) {
            assertEquals("gvisor", p.getSpec().getRuntimeClassName(), p.getMetadata().getName());
            assertEquals("Never", p.getSpec().getRestartPolicy());
        }

        for (String id : DAEMON_STEPS) {
            RunEvent.StepFinished f = step(events, id);
            assertEquals("skipped", f.outcome(), f.toString());
            assertTrue(f.message().contains("'when' is false: run.backend == \"docker\""), f.toString());
        }
        assertTrue(events.of(RunEvent.Notice.class).stream().anyMatch(n -> n.message().startsWith(
                "container backend kubernetes (namespace 'prod'): the drain and the verification pod act on the namespace's pods")),
                events.all().toString());
    }

    @Test
    void withoutASandboxRuntimeTheVerificationPodRunsUnderTheDefaultAndTheSandboxCheckIsSkipped() throws Exception {
        RecordingSink events = new RecordingSink();
        assertEquals(ExitCodes.OK, run(events, List.of("workspace_label=app=workspace")), events.all().toString());
        assertEquals("skipped", step(events, "verify-sandbox").outcome());
        assertEquals(1, verified.size());
        assertEquals(null, verified.values().iterator().next().getSpec().getRuntimeClassName(), "empty: the cluster's default");
    }

    /** Every item of the gate's last evaluation: id (with '@host' for host items) to status. */
    private static Map<String, String> gate(RecordingSink events, String checklist) {
        RunEvent.GateEvaluated g = events.of(RunEvent.GateEvaluated.class).stream().filter(e -> e.checklist().equals(checklist))
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("gate '" + checklist + "' not evaluated: " + events.all()));
        Map<String, String> out = new java.util.TreeMap<>();
        for (Map<String, Object> i : g.answers()) {
            out.put(String.valueOf(i.get("id")) + (i.get("host") instanceof String h && !h.isEmpty() ? "@" + h : ""), String.valueOf(i.get("status")));
        }
        return out;
    }

    @Test
    void theGatesSkipTheDockerDaemonItemsAndCheckThePodsTheRuntimeClassAndASandboxedTestPod() throws Exception {
        cluster.applicationReady();
        cluster.gvisorInstalled();
        Path answers = Files.writeString(tmp.resolve("answers.yaml"), """
                answers:
                  verification-complete: {status: confirmed, note: "05 checklist done on ws-node-1"}
                  rollback-reviewed: confirmed
                  stakeholders-notified: {status: confirmed, note: "mail 01:50"}
                  window-approved: {status: confirmed, note: "CHG-1"}
                """);
        RecordingSink events = new RecordingSink();
        int code = run(events, List.of("workspace_label=app=workspace", "sandbox_runtime=gvisor", "app_pod_selector=app=api", "dashboard_url=http://127.0.0.1:"
                + app.getAddress().getPort() + "/api/health"), containerSection(true), new GateAnswers(List.of(), Optional.of(answers)));
        assertEquals(ExitCodes.OK, code, events.all().toString());

        assertEquals(Map.of("app-pods-ready", "passed", "backups-taken@ws-node-1", "skipped", "dashboard-reachable", "passed",
                "rollback-reviewed", "passed", "runtime-class-exists", "passed", "stakeholders-notified", "passed",
                "verification-complete", "passed", "window-approved", "passed"), gate(events, "userns-remap-predeploy"));
        assertEquals(Map.of("app-pods-not-restarting", "passed", "app-pods-ready", "passed", "docker-active@ws-node-1", "skipped",
                "health-api-ok@ws-node-1", "passed", "test-container-runs@ws-node-1", "skipped", "test-pod-sandboxed@ws-node-1", "passed",
                "userns-enabled@ws-node-1", "skipped"), gate(events, "userns-remap-post-immediate"));
        RunEvent.GateEvaluated after = events.of(RunEvent.GateEvaluated.class).get(1);
        assertTrue(after.answers().stream().filter(i -> "docker-active".equals(i.get("id")))
                .allMatch(i -> String.valueOf(i.get("note")).equals("'when' is false: run.backend == \"docker\"")), after.toString());
        assertEquals(3, verified.size(), "two verification pods of the steps and the gate's test pod: " + verified.keySet());
        assertTrue(verified.values().stream().allMatch(p -> "gvisor".equals(p.getSpec().getRuntimeClassName())));
    }

    @Test
    void aGateFailsClosedWhenTheApplicationsPodsAreNotReady() throws Exception {
        Path answers = Files.writeString(tmp.resolve("answers.yaml"), """
                answers:
                  verification-complete: {status: confirmed, note: "done"}
                  rollback-reviewed: confirmed
                  stakeholders-notified: {status: confirmed, note: "mail"}
                  window-approved: {status: confirmed, note: "CHG-1"}
                """);
        RecordingSink events = new RecordingSink();
        int code = run(events, List.of("workspace_label=app=workspace", "app_pod_selector=app=api", "dashboard_url=http://127.0.0.1:"
                + app.getAddress().getPort() + "/api/health"), containerSection(true), new GateAnswers(List.of(), Optional.of(answers)));
        assertEquals(ExitCodes.GATE_FAILED, code, events.all().toString());
        Map<String, String> items = gate(events, "userns-remap-predeploy");
        assertEquals("failed", items.get("app-pods-ready"), "api-1 is Running but not Ready: " + items);
        assertEquals("skipped", items.get("runtime-class-exists"), "no sandbox_runtime given: " + items);
        assertTrue(events.of(RunEvent.StepFinished.class).isEmpty(), "no step ran");
    }

    @Test
    void checklistRunFollowsContainerBackendLikeARun() throws Exception {
        cluster.applicationReady();
        ChecklistService service = ChecklistService.local(new ChecklistPath(List.of(Path.of("checklists").toAbsolutePath())),
                ClusterRun.registry(k));
        dev.opsctl.checklist.run.ChecklistResult r = service.run(new ChecklistRequest("userns-remap-post-immediate", Optional.empty(),
                Optional.empty(), Map.of("app_port", String.valueOf(app.getAddress().getPort()), "app_pod_selector", "app=api"),
                List.of(), Optional.empty(), "oncall", Map.of("CONTAINER_BACKEND", "kubernetes")),
                dev.opsctl.checklist.run.ChecklistPrompter.NONE);
        assertEquals("skipped", r.find("userns-enabled@localhost").orElseThrow().status().label(), r.items().toString());
        assertEquals("passed", r.find("app-pods-ready").orElseThrow().status().label(), r.items().toString());
        assertEquals("skipped", r.find("test-pod-sandboxed@localhost").orElseThrow().status().label());
    }
}
