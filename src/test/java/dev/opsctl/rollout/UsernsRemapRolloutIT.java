package dev.opsctl.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opsctl.testhost.DockerTestHosts;
import dev.opsctl.testhost.LoadBalancerStandIn;
import dev.opsctl.testhost.MonitoringStandIn;
import dev.opsctl.testhost.TestHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code opsctl rollout userns-remap}, the shipped runbook unmodified, over three test hosts that
 * each run their own sshd, dockerd, workspace-app and /etc (see {@code testhosts/README.md}), behind
 * a load-balancer stand-in of its own. Only the inventory and -e values describe the hosts. Every
 * scenario starts from fresh hosts and checks that no more than one host was ever out of the load
 * balancer.
 */
class UsernsRemapRolloutIT {
    @RegisterExtension
    static final DockerTestHosts HOSTS = DockerTestHosts.numbered(71, 72, 73);

    private static MonitoringStandIn monitoring;
    private static boolean hostsUsed;

    @TempDir
    Path tmp;

    private final HostFacts facts = new HostFacts(HOSTS);
    private final Map<TestHost, HostFacts.Snapshot> before = new LinkedHashMap<>();
    private LoadBalancerStandIn lb;
    private RolloutCli cli;
    private TestHost h1;
    private TestHost h2;
    private TestHost h3;

    @BeforeAll
    static void startMonitoring() throws Exception {
        monitoring = new MonitoringStandIn();
    }

    @AfterAll
    static void stopMonitoring() {
        if (monitoring != null) {
            monitoring.close();
        }
    }

    @BeforeEach
    void freshHostsInTheLoadBalancer() throws Exception {
        if (hostsUsed) {
            HOSTS.recreate();
        }
        hostsUsed = true;
        h1 = HOSTS.host(71);
        h2 = HOSTS.host(72);
        h3 = HOSTS.host(73);
        for (TestHost h : HOSTS.hosts()) {
            // the runbook must load the base image itself (enabling userns-remap hides the old one)
            HOSTS.exec(h, "touch /etc/opsctl-test/no-auto-import").orFail();
            facts.takeOperatorBackups(h);
            before.put(h, facts.snapshot(h));
        }
        lb = HOSTS.privateLb(tmp.resolve("lb"));
        cli = RolloutCli.forHosts(tmp, HOSTS, lb, monitoring.url());
    }

    @Test
    void everyHostIsConvertedOneAfterTheOtherAndReturnsToTheLoadBalancer() throws Exception {
        // Given three hosts in service, each with the operator's log settings in daemon.json
        // When
        RolloutRun run = cli.rollout();

        // Then
        assertEquals(0, run.exitCode(), run.dump());
        for (TestHost h : HOSTS.hosts()) {
            assertConverted(h, run);
        }
        assertEquals(List.of("drain opsctl-h71", "enable opsctl-h71", "drain opsctl-h72", "enable opsctl-h72",
                "drain opsctl-h73", "enable opsctl-h73"), lbChanges(), "4.1: host by host, each back before the next leaves");
        assertNeverMoreThanOneHostOut();
        report("a: all converted", run);
    }

    @Test
    void hostTwosDockerNotComingBackRollsHostTwoBackAndStopsBeforeHostThree() throws Exception {
        // Given host 2's dockerd will not start with userns-remap
        HOSTS.failDockerStartWithUsernsRemap(h2);

        // When
        RolloutRun run = cli.rollout();

        // Then
        assertHostTwoRolledBackAndHostThreeUntouched(run, "docker-restart-failed");
        assertEquals("failed", stepOutcome(run, h2, "restart-docker"), run.dump());
        report("b: docker does not come back", run);
    }

    @Test
    void hostTwosHealthAnswering500AfterTheRestartRollsHostTwoBack() throws Exception {
        // Given host 2's application answers /health with 500 as soon as it runs under userns-remap
        HOSTS.failHealthWithUsernsRemap(h2);

        // When
        RolloutRun run = cli.rollout();

        // Then
        assertHostTwoRolledBackAndHostThreeUntouched(run, "health-500");
        assertEquals(500, run.onHost("trigger-fired", h2.name()).get(0).at("/values/status").asInt(), run.dump());
        assertTrue(run.stepsStarted(h2.name()).contains("restart-app"), "armed only after restart-app\n" + run.dump());
        String lost = run.onHost("step-output", h2.name()).stream().filter(e -> e.get("step").asText().equals("rb-what-is-lost"))
                .map(e -> e.get("line").asText()).findFirst().orElse("");
        assertTrue(lost.matches("containers and images created while userns-remap was on are not visible now: [0-9]+ container\\(s\\)"
                + " and 1 image\\(s\\) under /var/lib/docker/100000\\.100000 \\(they come back if userns-remap is enabled again\\)"),
                "the rollback says what it cannot bring back: '" + lost + "'");
        report("c: /health 500", run);
    }

    @Test
    void aRolloutKilledDuringHostTwoIsFinishedByResumeWithoutRedoingHostOne() throws Exception {
        // Given a rollout in its own process, killed with SIGKILL while host 2 restarts Docker
        RolloutCli.Killed killed = cli.rolloutKilledAt(h2.name(), "restart-docker");
        assertEquals(137, killed.run().exitCode(), "SIGKILL\n" + killed.run().dump());
        List<String> beforeKill = killed.run().stepsStarted(h1.name());
        assertEquals("monitor", beforeKill.get(beforeKill.size() - 1), "host 1 was done\n" + killed.run().dump());
        assertTrue(killed.run().onHost("step-finished", h2.name()).stream()
                .noneMatch(e -> e.get("step").asText().equals("restart-docker")), "killed mid-step\n" + killed.run().dump());

        // When
        RolloutRun resumed = cli.resume(killed.runId());

        // Then
        assertEquals(0, resumed.exitCode(), resumed.dump());
        assertEquals(List.of(), resumed.stepsStarted(h1.name()), "host 1 is not redone");
        assertEquals("restart-docker", resumed.stepsStarted(h2.name()).get(0), "host 2 goes on with the interrupted step");
        assertEquals(List.of(), journalStepsAfterResume(killed.runId(), h1.name()), "the journal agrees");
        for (TestHost h : HOSTS.hosts()) {
            assertConverted(h, resumed);
        }
        assertNeverMoreThanOneHostOut();
        report("d: SIGKILL + resume (killed run " + killed.run().took().toSeconds() + " s)", resumed);
    }

    private void assertConverted(TestHost h, RolloutRun run) {
        String dump = h.name() + "\n" + run.dump();
        assertTrue(facts.usernsOn(h), "userns on (docker info) on " + dump);
        assertEquals("active", facts.dockerState(h), dump);
        assertEquals("0 100000 65536", facts.containerUidMap(h), "uid_map on " + dump);
        ObjectNode expected = (ObjectNode) RolloutRun.event(before.get(h).files().get("/etc/docker/daemon.json").content());
        expected.put("userns-remap", "default");
        assertEquals(expected, facts.daemonJson(h), "daemon.json keeps the host's settings and adds userns-remap on " + dump);
        HostFacts.Health health = facts.health(h);
        assertEquals(200, health.status(), dump);
        assertTrue(health.warmPool() > 0, "warm pool rebuilt on " + dump);
        assertEquals(Boolean.TRUE, lb.status().get(h.name()), "back in the load balancer: " + dump);
    }

    private void assertHostTwoRolledBackAndHostThreeUntouched(RolloutRun run, String trigger) {
        assertEquals(3, run.exitCode(), run.dump());
        assertConverted(h1, run);

        List<JsonNode> fired = run.onHost("trigger-fired", h2.name());
        assertEquals(1, fired.size(), run.dump());
        assertEquals(trigger, fired.get(0).get("trigger").asText(), run.dump());
        assertEquals("rollback", fired.get(0).get("action").asText(), run.dump());
        List<JsonNode> rolledBack = run.onHost("rollback-finished", h2.name());
        assertEquals(1, rolledBack.size(), run.dump());
        assertTrue(rolledBack.get(0).get("succeeded").asBoolean(), run.dump());
        assertEquals("rolled_back", run.runFinished().orElseThrow().at("/hosts/" + h2.name()).asText(), run.dump());
        assertTrue(journalTypes(run.runId(), h2.name()).containsAll(List.of("trigger-fired", "rollback-started", "rollback-finished")),
                "journaled");

        HostFacts.Snapshot after2 = facts.snapshot(h2);
        assertEquals(before.get(h2).files(), after2.files(), "6.3: daemon.json, subuid and subgid restored byte for byte");
        assertFalse(facts.usernsOn(h2), "Docker runs without userns on host 2\n" + run.dump());
        assertEquals("active", facts.dockerState(h2), run.dump());
        assertEquals(200, facts.health(h2).status(), "host 2's app is healthy again\n" + run.dump());
        assertEquals(Boolean.TRUE, lb.status().get(h2.name()), "host 2 back in the load balancer\n" + run.dump());

        assertEquals(before.get(h3), facts.snapshot(h3), "host 3 untouched: files, no new backups, no dockremap");
        assertEquals(List.of(), run.stepsStarted(h3.name()), run.dump());
        assertTrue(lbChanges().stream().noneMatch(c -> c.endsWith(h3.name())), "host 3 never left the load balancer");
        assertEquals(200, facts.health(h3).status());
        assertNeverMoreThanOneHostOut();
    }

    private void assertNeverMoreThanOneHostOut() {
        assertEquals(1, lb.maxOutAtOnce(), "(e) one host out of the load balancer at most, and one was: " + lb.timeline());
    }

    private List<String> lbChanges() {
        return lb.timeline().stream().filter(e -> !e.action().equals("register")).map(e -> e.action() + " " + e.backend()).toList();
    }

    private static String stepOutcome(RolloutRun run, TestHost h, String step) {
        return run.onHost("step-finished", h.name()).stream().filter(e -> e.get("step").asText().equals(step))
                .map(e -> e.get("outcome").asText()).findFirst().orElse("not run");
    }

    private List<String> journalTypes(String runId, String host) {
        return journal(runId).stream().filter(e -> e.path("host").asText().equals(host)).map(e -> e.get("type").asText()).toList();
    }

    /** Steps journaled as started on {@code host} after the run was resumed. */
    private List<String> journalStepsAfterResume(String runId, String host) {
        List<JsonNode> all = journal(runId);
        int resumedAt = -1;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).get("type").asText().equals("run-resumed")) {
                resumedAt = i;
            }
        }
        assertTrue(resumedAt > 0, "the journal records the resume");
        return all.subList(resumedAt, all.size()).stream()
                .filter(e -> e.get("type").asText().equals("step-started") && e.path("host").asText().equals(host))
                .map(e -> e.get("step").asText()).toList();
    }

    private List<JsonNode> journal(String runId) {
        try {
            return RolloutRun.parse(Files.readString(cli.stateDir().resolve("runs").resolve(runId).resolve("journal.jsonl")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void report(String scenario, RolloutRun run) {
        System.out.println("UsernsRemapRolloutIT " + scenario + ": exit " + run.exitCode() + " in " + run.took().toSeconds() + " s");
        Map<String, Long> byStep = new java.util.TreeMap<>();
        run.events().stream().filter(e -> e.path("type").asText().equals("step-finished"))
                .forEach(e -> byStep.merge(e.path("step").asText(), e.path("elapsedMs").asLong(), Long::sum));
        System.out.println("  slowest steps (all hosts): " + byStep.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(5).map(e -> e.getKey() + " " + e.getValue() / 100 / 10.0 + " s").collect(java.util.stream.Collectors.joining(", ")));
    }
}
