package dev.opsctl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.opsctl.action.ActionRegistry;
import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.fakes.FakeClock;
import dev.opsctl.engine.fakes.RecordingSink;
import dev.opsctl.event.RunEvent;
import dev.opsctl.runbook.load.Checklists;
import dev.opsctl.runbook.model.Runbook;
import dev.opsctl.target.kube.MockCluster;
import dev.opsctl.testhost.MonitoringStandIn;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped runbooks/userns-remap.yaml, whole and unmodified, rolled out with {@code --backend kubernetes} over three
 * hosts (local targets at 127.0.0.1-3) against fabric8's mock server (CRUD), through the app layer: its three gates,
 * its triggers of 6.1 and 6.2 and its rollback of 6.3. Each host has its own stand-in of the application, all on one
 * port; the load balancer is a script that logs what it is told; Prometheus and the dashboard are
 * {@link MonitoringStandIn}; a {@link PlayedKubelet} runs the verification pods. Time is a {@link FakeClock}: the
 * 5-minute monitor, the 5-minute window of a judgement trigger and the 10-minute wait for an operator's answer pass at
 * once. The runbook's commands run for real ({@code sudo} is skipped as root, so the test needs root, as CI runs).
 */
class UsernsRemapOnKubernetesRolloutTest {
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");
    private static final List<String> HOSTS = List.of("ws-node-1", "ws-node-2", "ws-node-3");
    private static final String NOT_SANDBOXED = "[    0.000000] Linux version 6.1.0-28-amd64 (debian-kernel@lists.debian.org)\n";

    @TempDir
    Path tmp;

    private WorkspaceCluster cluster;
    private MockCluster k;
    private PlayedKubelet kubelet;
    private MonitoringStandIn monitoring;
    private final List<HttpServer> apps = new ArrayList<>();
    private int appPort;
    private Path lbLog;
    private Path restarts;
    private volatile String brokenAfterSecondRestart = "";
    private Services services;
    private Path answers;

    @BeforeAll
    static void quiet() {
        MOCK_LOG.setLevel(Level.WARNING);
    }

    @BeforeEach
    void setUp() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "the runbook's sudo steps run without sudo only as root");
        cluster = new WorkspaceCluster();
        k = cluster.k;
        cluster.applicationReady();
        cluster.gvisorInstalled();
        monitoring = new MonitoringStandIn();
        startApps();
        lbLog = tmp.resolve("lb.log");
        restarts = tmp.resolve("restarts.log");
        Files.createFile(lbLog);
        Files.createFile(restarts);
        script("lb-ctl", "printf '%s %s\\n' \"$1\" \"$2\" >> " + lbLog);
        script("app-ctl", "printf '%s\\n' \"$1\" >> " + restarts);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (kubelet != null) {
            kubelet.close();
        }
        apps.forEach(s -> s.stop(0));
        if (monitoring != null) {
            monitoring.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** One application per host address, all on the same port (app_port is one value for the rollout). */
    private void startApps() throws IOException {
        for (int attempt = 0; apps.isEmpty(); attempt++) {
            try {
                HttpServer first = app("127.0.0.1", 0);
                apps.add(first);
                appPort = first.getAddress().getPort();
                apps.add(app("127.0.0.2", appPort));
                apps.add(app("127.0.0.3", appPort));
            } catch (BindException e) {
                apps.forEach(s -> s.stop(0));
                apps.clear();
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /** Host 'address''s application; /health answers 500 on {@link #brokenAfterSecondRestart} after the rollout's second restart. */
    private HttpServer app(String address, int port) throws IOException {
        return cluster.application(address, port, () -> address.equals(brokenAfterSecondRestart) && appRestarts() == 2);
    }

    private void script(String name, String body) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    }

    private List<String> lbChanges() {
        try {
            return Files.readAllLines(lbLog);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long appRestarts() {
        try {
            return Files.readAllLines(restarts).size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int rollout(RecordingSink events, Function<Pod, String> podLogs) throws Exception {
        kubelet = new PlayedKubelet(k, podLogs);
        Runbook rb = new LoaderRunbooks(ActionRegistry.standard(), Checklists.ANY).load(ShippedRunbooksTest.DIR.resolve("userns-remap.yaml"));
        StringBuilder hosts = new StringBuilder();
        for (int i = 0; i < HOSTS.size(); i++) {
            hosts.append("  ").append(HOSTS.get(i)).append(": {address: 127.0.0.").append(i + 1).append(", connection: local}\n");
        }
        Path inventory = Files.writeString(tmp.resolve("inventory.yaml"), "apiVersion: opsctl/v1\nkind: Inventory\nhosts:\n" + hosts
                + "groups:\n  docker_hosts: {hosts: [" + String.join(", ", HOSTS) + "]}\n");
        answers = Files.writeString(tmp.resolve("answers.yaml"), """
                answers:
                  verification-complete: {status: confirmed, note: "05 checklist done on ws-node-1"}
                  rollback-reviewed: confirmed
                  stakeholders-notified: {status: confirmed, note: "mail 01:50"}
                  window-approved: {status: confirmed, note: "CHG-1"}
                  progress-tracker-updated: {status: confirmed, note: "01-progress-tracker.md: 3 hosts done"}
                  security-verification-updated: confirmed
                  ops-team-notified: {status: confirmed, note: "#ops 04:40"}
                """);
        FakeClock clock = new FakeClock();
        services = cluster.services(tmp, rb, clock, clock.sleeper());
        List<String> vars = List.of("workspace_label=app=workspace", "sandbox_runtime=gvisor", "app_pod_selector=app=api",
                "app_port=" + appPort, "dashboard_url=" + monitoring.url() + "/api/health", "prometheus_url=" + monitoring.url(),
                "lb_drain_cmd=" + tmp.resolve("lb-ctl") + " drain", "lb_enable_cmd=" + tmp.resolve("lb-ctl") + " enable",
                "app_restart_cmd=" + tmp.resolve("app-ctl") + " restart", "session_drain_wait=0s");
        RunRequest request = WorkspaceCluster.kubernetesRun(rb, inventory, new GateAnswers(List.of(), Optional.of(answers)), vars);
        return services.runs().run(request, events);
    }

    private static List<String> stepsStarted(RecordingSink events, String host) {
        return events.of(RunEvent.StepStarted.class).stream().filter(e -> e.host().equals(host)).map(RunEvent.StepStarted::step)
                .distinct().toList();
    }

    private static RunEvent.StepFinished step(RecordingSink events, String host, String id) {
        return events.of(RunEvent.StepFinished.class).stream().filter(e -> e.host().equals(host) && e.step().equals(id))
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("step '" + id + "' on " + host + " did not finish: " + events.all()));
    }

    /** Every item of a gate's evaluations: id (with '@host' for host items) to status. */
    private static Map<String, String> gate(RecordingSink events, String checklist) {
        Map<String, String> out = new TreeMap<>();
        events.of(RunEvent.GateEvaluated.class).stream().filter(e -> e.checklist().equals(checklist)).forEach(g -> {
            for (Map<String, Object> i : g.answers()) {
                out.put(i.get("id") + (i.get("host") instanceof String h && !h.isEmpty() ? "@" + h : ""), String.valueOf(i.get("status")));
            }
        });
        return out;
    }

    private static Map<String, String> perHost(String status, String... ids) {
        Map<String, String> out = new TreeMap<>();
        for (String id : ids) {
            HOSTS.forEach(h -> out.put(id + "@" + h, status));
        }
        return out;
    }

    @Test
    void everyHostPassesItsGatesAndIsWatchedFiveMinutesBeforeTheNextLeavesTheLoadBalancer() throws Exception {
        RecordingSink events = new RecordingSink();
        int code = rollout(events, PlayedKubelet::usual);

        assertEquals(ExitCodes.OK, code, events.all().toString());
        assertEquals(List.of("drain ws-node-1", "enable ws-node-1", "drain ws-node-2", "enable ws-node-2", "drain ws-node-3",
                "enable ws-node-3"), lbChanges(), "4.1: host by host, each back before the next leaves");
        assertEquals(3, appRestarts(), "restart-app once per host");
        assertEquals(List.of(), events.of(RunEvent.TriggerFired.class));
        assertEquals(List.of(), events.of(RunEvent.RollbackStarted.class));
        for (String h : HOSTS) {
            assertEquals("ok", step(events, h, "verify-sandbox").outcome(), step(events, h, "verify-sandbox").toString());
            assertEquals("skipped", step(events, h, "restart-docker").outcome());
            RunEvent.StepFinished monitor = step(events, h, "monitor");
            assertEquals("ok", monitor.outcome(), monitor.toString());
            assertTrue(monitor.message().startsWith("watched 5m"), "4.2 step 6: five minutes: " + monitor);
        }

        Map<String, String> complete = gate(events, "userns-remap-complete");
        Map<String, String> expected = new TreeMap<>(Map.of("app-pods-healthy", "passed", "slo-request-success", "passed",
                "slo-container-start", "passed", "progress-tracker-updated", "passed", "security-verification-updated", "passed",
                "ops-team-notified", "passed"));
        expected.putAll(perHost("passed", "health-ok", "warm-pool-size", "error-log-clean"));
        expected.putAll(perHost("skipped", "userns-enabled"));
        assertEquals(expected, complete, "7.1 against every host");
        assertEquals(3, events.of(RunEvent.GateEvaluated.class).stream().filter(g -> g.checklist().equals("userns-remap-post-immediate")
                && g.passed()).count(), "5.1 after each host");
        assertEquals(9, kubelet.ran.size(), "per host: the id pod, the dmesg pod and the gate's test pod: " + kubelet.ran.keySet());
        assertTrue(kubelet.pods().stream().allMatch(p -> "gvisor".equals(p.getSpec().getRuntimeClassName())));
        assertEquals(List.of(), k.fabric8.pods().inNamespace("prod").list().getItems().stream().map(p -> p.getMetadata().getName())
                .filter(n -> n.startsWith("opsctl-run-")).toList(), "every verification pod removed (rm: true)");
    }

    @Test
    void hostTwosVerificationPodOutsideTheSandboxRollsHostTwoBackAndHostThreeIsNeverTouched() throws Exception {
        // host 1's dmesg pods: verify-sandbox, then its gate's test pod; the third is host 2's verify-sandbox
        RecordingSink events = new RecordingSink();
        int code = rollout(events, PlayedKubelet.dmesgNumber(3, NOT_SANDBOXED));

        assertEquals(ExitCodes.ROLLED_BACK, code, events.all().toString());
        RunEvent.StepFinished sandbox = step(events, "ws-node-2", "verify-sandbox");
        assertEquals("failed", sandbox.outcome(), sandbox.toString());
        RunEvent.TriggerFired fired = events.of(RunEvent.TriggerFired.class).stream().reduce((a, b) -> b).orElseThrow();
        assertEquals(List.of("ws-node-2", "sandbox-check-failed", "rollback"), List.of(fired.host(), fired.trigger(), fired.action()));
        assertRolledBackAndHostThreeUntouched(events);
        assertTrue(stepsStarted(events, "ws-node-2").stream().noneMatch(s -> s.equals("restart-app")), "halted at the check");
        assertEquals(List.of("drain ws-node-1", "enable ws-node-1", "drain ws-node-2", "drain ws-node-2", "enable ws-node-2"), lbChanges(),
                "6.3: taken out again, put back once it is healthy");
        assertEquals(2, appRestarts(), "host 1's restart and host 2's rollback");
    }

    @Test
    void aSuccessRateBelowEightyPercentForFiveMinutesAfterHostTwoReturnsRollsItBackWhenNobodyAnswers() throws Exception {
        monitoring.successRatio(() -> lbChanges().contains("enable ws-node-2") ? 0.5 : 0.99);
        RecordingSink events = new RecordingSink();
        int code = rollout(events, PlayedKubelet::usual);

        assertEquals(ExitCodes.ROLLED_BACK, code, events.all().toString());
        RunEvent.StepFinished monitor = step(events, "ws-node-2", "monitor");
        assertEquals("failed", monitor.outcome(), monitor.toString());
        assertTrue(monitor.message().startsWith("after 5m of watching: trigger 'success-rate-low' fired: 'value < 0.8' holds: value=0.5 (for 5m)"),
                "the 5-minute window closes on the 5-minute monitor's last sample: " + monitor);
        List<RunEvent.TriggerFired> fired = events.of(RunEvent.TriggerFired.class);
        assertEquals(List.of("ws-node-2", "success-rate-low", "ask"), List.of(fired.get(0).host(), fired.get(0).trigger(),
                fired.get(0).action()), fired.toString());
        assertTrue(events.of(RunEvent.Notice.class).stream().anyMatch(n -> n.message().endsWith(
                "nobody to ask in a non-interactive run: doing 'rollback' (on_timeout)")), events.all().toString());
        assertRolledBackAndHostThreeUntouched(events);
        assertEquals(List.of("drain ws-node-1", "enable ws-node-1", "drain ws-node-2", "enable ws-node-2", "drain ws-node-2",
                "enable ws-node-2"), lbChanges());
        assertEquals(3, appRestarts(), "hosts 1 and 2, then host 2's rollback");
    }

    @Test
    void hostTwosHealthAnswering500AfterTheRestartRollsHostTwoBack() throws Exception {
        brokenAfterSecondRestart = "127.0.0.2";
        RecordingSink events = new RecordingSink();
        int code = rollout(events, PlayedKubelet::usual);

        assertEquals(ExitCodes.ROLLED_BACK, code, events.all().toString());
        RunEvent.TriggerFired fired = events.of(RunEvent.TriggerFired.class).get(0);
        assertEquals(List.of("ws-node-2", "health-500", "rollback", "500"), List.of(fired.host(), fired.trigger(), fired.action(),
                String.valueOf(fired.values().get("status"))), fired.toString());
        List<String> main = stepsStarted(events, "ws-node-2").stream().filter(id -> !id.startsWith("rb-")).toList();
        assertEquals("restart-app", main.get(main.size() - 1), "armed by restart-app, fired right after it: " + main);
        assertRolledBackAndHostThreeUntouched(events);
        assertEquals(List.of("drain ws-node-1", "enable ws-node-1", "drain ws-node-2", "drain ws-node-2", "enable ws-node-2"), lbChanges(),
                "host 2 never went back in before its rollback did it");
        assertEquals(3, appRestarts(), "the rollback's restart brought /health back");
    }

    @Test
    void aRolloutCutOffDuringHostTwosSandboxCheckIsFinishedByResumeStillOnTheKubernetesBackend() throws Exception {
        assertEquals(ExitCodes.OK, rollout(new RecordingSink(), PlayedKubelet::usual));
        Path journal;
        try (Stream<Path> runs = Files.list(tmp.resolve("state/runs"))) {
            journal = runs.findFirst().orElseThrow().resolve("journal.jsonl");
        }
        List<String> lines = Files.readAllLines(journal);
        int cut = 0;
        while (!(lines.get(cut).contains("\"step-started\"") && lines.get(cut).contains("\"host\":\"ws-node-2\"")
                && lines.get(cut).contains("\"step\":\"verify-sandbox\""))) {
            cut++;
        }
        Files.write(journal, lines.subList(0, cut + 1));
        Files.write(lbLog, List.of());
        Files.write(restarts, List.of());

        RecordingSink events = new RecordingSink();
        int code = services.history().resume(new ResumeRequest(journal.getParent().getFileName().toString(), List.of(), false, false,
                true, Optional.empty(), new GateAnswers(List.of(), Optional.of(answers))), events);

        assertEquals(ExitCodes.OK, code, events.all().toString());
        assertEquals(List.of(), stepsStarted(events, "ws-node-1"), "host 1 is not redone");
        assertEquals("verify-sandbox", stepsStarted(events, "ws-node-2").get(0), "host 2 goes on with the interrupted check");
        for (String id : List.of("start-verify-container", "verify-uid-map", "remove-verify-container")) {
            assertEquals("skipped", step(events, "ws-node-2", id).outcome(), "the journaled backend, not docker: " + step(events, "ws-node-2", id));
        }
        for (String id : List.of("backup-config", "set-userns-remap", "restart-docker", "verify-uid-map")) {
            assertEquals("skipped", step(events, "ws-node-3", id).outcome(), step(events, "ws-node-3", id).toString());
        }
        assertEquals("ok", step(events, "ws-node-3", "verify-sandbox").outcome());
        assertEquals(List.of("enable ws-node-2", "drain ws-node-3", "enable ws-node-3"), lbChanges());
        assertEquals(2, appRestarts(), "hosts 2 and 3");
        assertTrue(events.of(RunEvent.GateEvaluated.class).stream().anyMatch(g -> g.checklist().equals("userns-remap-complete") && g.passed()),
                events.of(RunEvent.GateEvaluated.class).toString());
    }

    /** 6.3 on ws-node-2 with the kubernetes backend: the host's Docker steps skipped, the rest ran; ws-node-3 never started. */
    private static void assertRolledBackAndHostThreeUntouched(RecordingSink events) {
        RunEvent.RollbackFinished rb = events.of(RunEvent.RollbackFinished.class).stream().reduce((a, b) -> b).orElseThrow();
        assertEquals("ws-node-2", rb.host());
        assertTrue(rb.succeeded(), rb.toString());
        for (String id : List.of("rb-drain-lb", "rb-restart-app", "rb-health", "rb-return-to-lb")) {
            assertTrue(Set.of("ok", "changed").contains(step(events, "ws-node-2", id).outcome()), step(events, "ws-node-2", id).toString());
        }
        for (String id : List.of("rb-remove-verify-container", "rb-restore-config", "rb-restart-docker", "rb-wait-docker",
                "rb-verify-userns-off", "rb-what-is-lost")) {
            assertEquals("skipped", step(events, "ws-node-2", id).outcome(), step(events, "ws-node-2", id).toString());
        }
        assertEquals(List.of(), stepsStarted(events, "ws-node-3"), "the rollout stopped before host 3");
        assertEquals(List.of(), events.of(RunEvent.GateEvaluated.class).stream().filter(g -> g.checklist().equals("userns-remap-complete"))
                .toList(), "no after_run gate for a stopped rollout");
        RunEvent.RunFinished end = events.of(RunEvent.RunFinished.class).get(0);
        assertEquals(Map.of("ws-node-1", "ok", "ws-node-2", "rolled_back", "ws-node-3", "not_started"), end.hosts(), end.toString());
    }
}
