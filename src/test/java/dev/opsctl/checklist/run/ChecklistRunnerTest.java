package dev.opsctl.checklist.run;

import static dev.opsctl.checklist.run.Fakes.shell;
import static dev.opsctl.checklist.run.Fakes.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.StepResult;
import dev.opsctl.checklist.Checklist;
import dev.opsctl.source.Secret;
import dev.opsctl.target.TargetException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChecklistRunnerTest {
    private final Fakes.FakeClock clock = new Fakes.FakeClock();
    private final Fakes.FakeProbes probes = new Fakes.FakeProbes();
    private final Fakes.RecordingPrompter prompter = new Fakes.RecordingPrompter();

    private ChecklistResult run(Checklist c, List<String> hosts, Map<String, Object> params) throws InterruptedException {
        return run(c, hosts, params, prompter);
    }

    private ChecklistResult run(Checklist c, List<String> hosts, Map<String, Object> params, ChecklistPrompter p)
            throws InterruptedException {
        return new ChecklistRunner(probes, p, clock, clock.sleeper()).run(c, new ChecklistRun(hosts, params, Map.of(), "alice"));
    }

    private static final String USERNS = """
            apiVersion: opsctl/v1
            kind: Checklist
            metadata: {name: t, title: "T"}
            items:
              - id: userns
                text: "userns enabled"
                probe: {shell: "docker info"}
                expect: 'stdout contains "name=userns"'
            """;

    @Test
    void aProbeWhoseExpectationHoldsPasses() throws Exception {
        probes.script("docker info", shell(0, "[\"name=seccomp\",\"name=userns\"]"));
        ChecklistResult r = run(Fakes.checklist(USERNS), List.of(), Map.of());
        assertTrue(r.passed(), r.verdict());
        assertEquals(ItemStatus.PASSED, r.items().get(0).status());
        assertEquals("alice", r.items().get(0).operator());
        assertTrue(r.items().get(0).evidence().get(0).fields().get("stdout").contains("name=userns"));
        assertEquals(List.of("userns=passed"), prompter.checked);
    }

    @Test
    void aProbeWhoseExpectationFailsFailsTheChecklistWithItsEvidence() throws Exception {
        probes.script("docker info", shell(0, "[\"name=seccomp\"]"));
        ChecklistResult r = run(Fakes.checklist(USERNS), List.of(), Map.of());
        assertFalse(r.passed());
        ItemResult item = r.items().get(0);
        assertEquals(ItemStatus.FAILED, item.status());
        assertEquals("expected stdout contains \"name=userns\"", item.note());
        assertFalse(item.evidence().get(0).held());
        assertEquals("not passed: 1 failed", r.verdict());
    }

    @Test
    void aProbeThatFailedSaysWhyBesideTheExpectationItCouldNotMeet() throws Exception {
        probes.script("docker info", Fakes.failedShell(1, "warning: config ignored\n"
                + "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n"));
        ItemResult item = run(Fakes.checklist(USERNS), List.of(), Map.of()).items().get(0);
        assertEquals(ItemStatus.FAILED, item.status());
        assertEquals("expected stdout contains \"name=userns\"; the probe failed (rc=1): Cannot connect to the Docker daemon at "
                + "unix:///var/run/docker.sock. Is the docker daemon running?", item.note(), "the line it ended on");
    }

    @Test
    void aUsageErrorIsToldByItsOwnLineNotByTheHintsAfterIt() throws Exception {
        probes.script("docker info", Fakes.failedShell(2, "grep: invalid option -- 'k'\n"
                + "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n"));
        ItemResult item = run(Fakes.checklist(USERNS), List.of(), Map.of()).items().get(0);
        assertTrue(item.note().endsWith("; the probe failed (rc=2): grep: invalid option -- 'k'"), item.note());
    }

    @Test
    void withoutExpectTheProbesOwnOutcomeDecides() throws Exception {
        Checklist c = Fakes.checklist("""
                apiVersion: opsctl/v1
                kind: Checklist
                metadata: {name: t}
                items:
                  - {id: ok, text: "ok", probe: {shell: "true"}}
                  - {id: bad, text: "bad", probe: {shell: "false"}}
                """);
        probes.script("false", shell(1, ""));
        ChecklistResult r = run(c, List.of(), Map.of());
        assertEquals(ItemStatus.PASSED, r.find("ok").orElseThrow().status());
        assertEquals(ItemStatus.FAILED, r.find("bad").orElseThrow().status());
    }

    @Test
    void anUnreachableHostFailsTheItemAndSaysSo() throws Exception {
        ProbeRunner unreachable = (probe, host, vars) -> {
            throw TargetException.unreachable("web1", "connection refused", null);
        };
        ChecklistResult r = new ChecklistRunner(unreachable, prompter, clock, clock.sleeper())
                .run(Fakes.checklist(USERNS), new ChecklistRun(List.of(), Map.of(), Map.of(), "alice"));
        assertEquals(ItemStatus.FAILED, r.items().get(0).status());
        assertEquals("unreachable", r.items().get(0).evidence().get(0).outcome());
    }

    @Test
    void aProbeWhoseConnectionBrokeCouldNotCheckAndNeverPassesWhateverItsPlaceholderFieldsSay() throws Exception {
        Checklist c = Fakes.checklist("""
                apiVersion: opsctl/v1
                kind: Checklist
                metadata: {name: t}
                items:
                  - {id: app, text: "app not down", probe: {shell: "app-state"}, expect: 'stdout != "down"'}
                """);
        TargetException lost = new TargetException(TargetException.Kind.CONNECTION_LOST, "web1", "docker on host 'web1': inspecting"
                + " container 'app' was cut short: the ssh connection to 'web1:22' broke (connection reset)");
        ProbeRunner reported = (probe, host, vars) -> StepResult.targetFailure(lost, lost.getMessage(), Duration.ZERO);
        ChecklistResult r = new ChecklistRunner(reported, prompter, clock, clock.sleeper())
                .run(c, new ChecklistRun(List.of(), Map.of(), Map.of(), "alice"));
        assertEquals(ItemStatus.FAILED, r.items().get(0).status(), "an empty stdout is not an answer");
        assertEquals("connection_lost", r.items().get(0).evidence().get(0).outcome());

        ProbeRunner thrown = (probe, host, vars) -> {
            throw lost;
        };
        ChecklistResult t = new ChecklistRunner(thrown, prompter, clock, clock.sleeper())
                .run(c, new ChecklistRun(List.of(), Map.of(), Map.of(), "alice"));
        assertEquals(ItemStatus.FAILED, t.items().get(0).status());
        assertEquals("connection_lost", t.items().get(0).evidence().get(0).outcome());
    }

    @Test
    void aProbeWhoseTargetGaveNoAnswerFailsItsItemThoughItsPlaceholderRcIsTheExpectedOneAndSaysItCouldNotCheck() throws Exception {
        Checklist c = Fakes.checklist("""
                apiVersion: opsctl/v1
                kind: Checklist
                metadata: {name: t}
                items:
                  - {id: no-lock, text: "no stale lock", probe: {shell: "test -e /tmp/stale.lock"}, expect: 'rc == 1'}
                """);
        TargetException down = dev.opsctl.target.docker.DockerTargets.daemonNotAnswering("web1", "exec in container 'app'",
                new java.io.IOException("connection refused"));
        ProbeRunner noAnswer = (probe, host, vars) -> StepResult.targetFailure(down, down.getMessage(), Duration.ZERO);
        ItemResult item = new ChecklistRunner(noAnswer, prompter, clock, clock.sleeper())
                .run(c, new ChecklistRun(List.of(), Map.of(), Map.of(), "alice")).items().get(0);
        assertEquals(ItemStatus.FAILED, item.status(), "rc 1 is a placeholder, not the host's answer");
        assertEquals("expected rc == 1; the probe could not check: docker daemon on host 'web1' is not answering (exec in container"
                + " 'app'): connection refused", item.note());
        assertEquals(Map.of("message", down.getMessage()), item.evidence().get(0).fields(), "no placeholder rc shown as evidence");

        TargetException remote = TargetException.remoteFailed("web1", "host 'web1': running 'test' failed: open failed");
        ProbeRunner thrown = (probe, host, vars) -> {
            throw remote;
        };
        ItemResult t = new ChecklistRunner(thrown, prompter, clock, clock.sleeper())
                .run(c, new ChecklistRun(List.of(), Map.of(), Map.of(), "alice")).items().get(0);
        assertEquals(ItemStatus.FAILED, t.status());
        assertEquals("failed", t.evidence().get(0).outcome(), "a remote error is not an unreachable host");
        assertEquals("expected rc == 1; the probe could not check: host 'web1': running 'test' failed: open failed", t.note());
    }

    @Test
    void retriesRunTheProbeAgainAfterTheIntervalUntilItPasses() throws Exception {
        Checklist c = Fakes.checklist("""
                apiVersion: opsctl/v1
                kind: Checklist
                metadata: {name: t}
                items:
                  - {id: up, text: "up", probe: {shell: "systemctl is-active docker"}, expect: 'stdout == "active"', retries: 3, interval: 5s}
                """);
        probes.script("is-active", shell(3, "activating\n"), shell(3, "activating\n"), shell(0, "active\n"));
        ChecklistResult r = run(c, List.of(), Map.of());
        assertTrue(r.passed(), r.verdict());
        assertEquals(3, probes.calls.size());
        assertEquals(List.of(Duration.ofSeconds(5), Duration.ofSeconds(5)), clock.sleeps);
        assertEquals(3, r.items().get(0).evidence().size());
    }

    private static final String HOLD = """
            apiVersion: opsctl/v1
            kind: Checklist
            metadata: {name: t}
            items:
              - id: latency
                text: "latency low"
                probe: {prometheus: {url: "http://p", query: "latency"}}
                expect: "value < 0.1"
                for: 1m
                interval: 20s
            """;

    @Test
    void forRequiresTheExpectationToHoldAtEverySampleForTheWholeDuration() throws Exception {
        probes.script("latency", value(0.05));
        ChecklistResult r = run(Fakes.checklist(HOLD), List.of(), Map.of());
        assertTrue(r.passed(), r.verdict());
        assertEquals(4, probes.calls.size(), "samples at 0s, 20s, 40s and 60s");
        assertEquals(Duration.ofMinutes(1), Duration.between(r.started(), r.finished()));
    }

    @Test
    void forFailsWhenOneSampleInTheWindowBreaksTheExpectation() throws Exception {
        probes.script("latency", value(0.05), value(0.05), value(0.3), value(0.05));
        ChecklistResult r = run(Fakes.checklist(HOLD), List.of(), Map.of());
        assertFalse(r.passed());
        assertEquals(3, probes.calls.size(), "stops at the breaking sample");
        assertEquals("expected value < 0.1 for 1m", r.items().get(0).note());
    }

    @Test
    void anEmptyPrometheusResultIsNaNAndFailsClosed() throws Exception {
        probes.script("latency", value(Double.NaN));
        assertFalse(run(Fakes.checklist(HOLD), List.of(), Map.of()).passed());
    }

    @Test
    void groupsWaitForTheirAfterDelayCountedFromTheStart() throws Exception {
        Checklist c = Fakes.checklist("""
                apiVersion: opsctl/v1
                kind: Checklist
                metadata: {name: t}
                groups:
                  - name: now
                    items: [{id: a, text: "a", probe: {shell: "slow"}, for: 2m, interval: 1m}]
                  - name: five
                    after: 5m
                    items: [{id: b, text: "b", probe: {shell: "b"}}]
                  - name: thirty
                    after: 30m
                    items: [{id: c, text: "c", probe: {shell: "c"}}]
                """);
        ChecklistResult r = run(c, List.of(), Map.of());
        assertTrue(r.passed(), r.verdict());
        assertEquals(List.of(Duration.ofMinutes(3), Duration.ofMinutes(25)), prompter.waits);
        assertEquals(Duration.ofMinutes(30), r.elapsed());
    }

    private static final String MANUAL = """
            apiVersion: opsctl/v1
            kind: Checklist
            metadata: {name: t}
            items:
              - {id: notified, text: "stakeholders notified"}
              - {id: window, text: "window approved", note_required: true}
            """;

    @Test
    void unansweredManualItemsFailClosed() throws Exception {
        ChecklistResult r = run(Fakes.checklist(MANUAL), List.of(), Map.of(), ChecklistPrompter.NONE);
        assertFalse(r.passed());
        assertEquals(2, r.count(ItemStatus.UNANSWERED));
        assertEquals("not passed: 2 unanswered", r.verdict());
    }

    @Test
    void confirmationsPassAndANoteRequiredItemNeedsItsNote() throws Exception {
        prompter.answers.put("notified", Answer.confirm(""));
        prompter.answers.put("window", Answer.confirm(""));
        ChecklistResult r = run(Fakes.checklist(MANUAL), List.of(), Map.of());
        assertEquals(ItemStatus.PASSED, r.find("notified").orElseThrow().status());
        assertEquals(ItemStatus.UNANSWERED, r.find("window").orElseThrow().status());
        assertFalse(r.passed());

        prompter.answers.put("window", Answer.confirm("CHG-1234 approved by bob").by("carol"));
        ChecklistResult again = run(Fakes.checklist(MANUAL), List.of(), Map.of());
        assertTrue(again.passed(), again.verdict());
        assertEquals("carol", again.find("window").orElseThrow().operator());
        assertEquals("CHG-1234 approved by bob", again.find("window").orElseThrow().note());
    }

    @Test
    void aSkipNeedsAReasonAndThenDoesNotBlock() throws Exception {
        prompter.answers.put("notified", Answer.skip(""));
        prompter.answers.put("window", Answer.skip("emergency change"));
        ChecklistResult r = run(Fakes.checklist(MANUAL), List.of(), Map.of());
        assertEquals(ItemStatus.UNANSWERED, r.find("notified").orElseThrow().status());
        assertEquals(ItemStatus.SKIPPED, r.find("window").orElseThrow().status());
        prompter.answers.put("notified", Answer.fail("nobody told the QA team"));
        ChecklistResult failed = run(Fakes.checklist(MANUAL), List.of(), Map.of());
        assertEquals(ItemStatus.FAILED, failed.find("notified").orElseThrow().status());
    }

    @Test
    void hostItemsRunOncePerHostAndControllerItemsOnce() throws Exception {
        Checklist c = Fakes.checklist("""
                apiVersion: opsctl/v1
                kind: Checklist
                metadata: {name: t}
                scope: host
                items:
                  - {id: userns, text: "userns", probe: {shell: "docker info"}, expect: 'stdout contains "userns"'}
                  - {id: dash, text: "dashboard", on: controller, probe: {http: {url: "http://d"}}}
                  - {id: ok, text: "host looks right"}
                """);
        probes.script("docker info@web2", shell(0, "nothing"));
        probes.otherwise = s -> shell(0, "name=userns");
        prompter.answers.put("ok", Answer.confirm(""));
        ChecklistResult r = run(c, List.of("web1", "web2"), Map.of());
        assertEquals(List.of("docker info@web1", "docker info@web2", "GET http://d"), probes.calls);
        assertEquals(ItemStatus.PASSED, r.find("userns@web1").orElseThrow().status());
        assertEquals(ItemStatus.FAILED, r.find("userns@web2").orElseThrow().status());
        assertEquals(List.of("ok@web1", "ok@web2"), prompter.asked);
        assertEquals(2, prompter.contexts.get(1).size(), "web2's own probe and the controller's");
        assertEquals("web2", ((Map<?, ?>) probes.varsSeen.get(1).get("host")).get("name"));
    }

    @Test
    void secretsAreMaskedInEvidenceNotesAndParams() throws Exception {
        Checklist c = Fakes.checklist("""
                apiVersion: opsctl/v1
                kind: Checklist
                metadata: {name: t}
                params:
                  token: {type: secret}
                items:
                  - {id: api, text: "api", probe: {shell: "curl -H {{ token }} x"}, expect: 'stdout contains "ok"'}
                  - {id: note, text: "note"}
                """);
        probes.script("curl", shell(0, "sent token hunter22-secret, got nothing"));
        prompter.answers.put("note", Answer.confirm("used hunter22-secret to log in"));
        ChecklistResult r = run(c, List.of(), Map.of("token", new Secret("hunter22-secret")));
        String all = r.toString();
        assertFalse(all.contains("hunter22-secret"), all);
        assertTrue(r.find("api").orElseThrow().evidence().get(0).fields().get("stdout").contains("********"));
        assertEquals("********", r.params().get("token"));
    }

    @Test
    void outputIsCappedInEvidence() throws Exception {
        probes.script("docker info", shell(0, "x".repeat(10_000)));
        ChecklistResult r = run(Fakes.checklist(USERNS), List.of(), Map.of());
        String stdout = r.items().get(0).evidence().get(0).fields().get("stdout");
        assertTrue(stdout.length() < 2100, "length " + stdout.length());
        assertTrue(stdout.endsWith("(8000 more characters)"));
    }

    @Test
    void itemTextIsRenderedWithTheParams() throws Exception {
        Checklist c = Fakes.checklist("""
                apiVersion: opsctl/v1
                kind: Checklist
                metadata: {name: t}
                params: {limit: 80}
                items: [{id: disk, text: "disk below {{ limit }}%", probe: {shell: "df"}}]
                """);
        assertEquals("disk below 80%", run(c, List.of(), Map.of("limit", 80L)).items().get(0).text());
    }

    private static final String DUAL = """
            apiVersion: opsctl/v1
            kind: Checklist
            metadata: {name: t}
            scope: host
            items:
              - id: docker-active
                text: "docker is active"
                probe: {shell: "systemctl is-active docker"}
                expect: 'stdout == "active"'
                when: run.backend == "docker"
              - id: pods-ready
                text: "pods are ready"
                on: controller
                probe: {shell: "kubectl get pods"}
                when: run.backend == "kubernetes"
              - id: signed-off
                text: "the change is signed off"
                on: controller
                when: run.backend == "docker"
            """;

    private ChecklistResult runOn(String backend, List<String> hosts) throws InterruptedException {
        return new ChecklistRunner(probes, prompter, clock, clock.sleeper()).run(Fakes.checklist(DUAL),
                new ChecklistRun(hosts, Map.of(), Map.of(), "alice", Map.of(), Map.of("backend", backend, "namespace", "prod", "context", "")));
    }

    @Test
    void anItemWhoseWhenIsFalseIsSkippedWithTheConditionAsReasonAndItsProbeNeverRuns() throws Exception {
        ChecklistResult r = runOn("kubernetes", List.of("web1", "web2"));
        assertTrue(r.passed(), r.verdict());
        for (String key : List.of("docker-active@web1", "docker-active@web2", "signed-off")) {
            ItemResult i = r.find(key).orElseThrow(() -> new AssertionError(key + " in " + r.items()));
            assertEquals(ItemStatus.SKIPPED, i.status(), key);
            assertEquals("'when' is false: run.backend == \"docker\"", i.note(), key);
        }
        assertEquals(ItemStatus.PASSED, r.find("pods-ready").orElseThrow().status());
        assertEquals(1, probes.calls.size(), probes.calls.toString());
        assertTrue(probes.calls.get(0).contains("kubectl get pods"), "no docker probe ran: " + probes.calls);
        assertEquals("kubernetes", ((Map<?, ?>) probes.varsSeen.get(0).get("run")).get("backend"), "the probe sees run.backend");
        assertEquals(List.of(), prompter.asked, "a manual item that does not apply is not asked");
        assertEquals("passed: 1 passed, 3 skipped", r.verdict());
    }

    @Test
    void anItemWhoseWhenHoldsIsEvaluatedAsBeforeSoFailClosedIsUnchanged() throws Exception {
        probes.script("systemctl is-active docker", shell(3, "inactive"));
        ChecklistResult r = runOn("docker", List.of("web1"));
        assertFalse(r.passed());
        assertEquals(ItemStatus.FAILED, r.find("docker-active@web1").orElseThrow().status());
        assertEquals(ItemStatus.UNANSWERED, r.find("signed-off").orElseThrow().status(), "the manual item applies and nobody answered it");
        assertEquals(ItemStatus.SKIPPED, r.find("pods-ready").orElseThrow().status());
        assertEquals(List.of("signed-off"), prompter.asked);
    }

    @Test
    void aWhenThatCannotBeEvaluatedFailsTheItemRatherThanSkippingIt() throws Exception {
        // a checklist run without run.backend (no caller set it): the gate must not open by accident
        ChecklistResult r = new ChecklistRunner(probes, prompter, clock, clock.sleeper()).run(Fakes.checklist(DUAL),
                new ChecklistRun(List.of(), Map.of(), Map.of(), "alice"));
        assertFalse(r.passed(), r.verdict());
        ItemResult i = r.find("pods-ready").orElseThrow();
        assertEquals(ItemStatus.FAILED, i.status());
        assertTrue(i.note().startsWith("cannot evaluate 'when: run.backend == \"kubernetes\"'"), i.note());
        assertTrue(probes.calls.isEmpty(), probes.calls.toString());
    }
}
