package dev.opsctl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.fakes.RecordingSink;
import dev.opsctl.event.EventSink;
import dev.opsctl.event.RunEvent;
import dev.opsctl.target.docker.ShortDockerResponseTimeout;
import dev.opsctl.testhost.DockerTestHosts;
import dev.opsctl.testhost.HostExec;
import dev.opsctl.testhost.TestHost;
import dev.opsctl.testhost.TestHostTargets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Probes that could not check, against a real dockerd reached over real sshd (test host 166): a daemon that does not
 * answer, or a connection that broke under the probe. Such a probe has no answer: its placeholder fields (rc 1, an empty
 * stdout) must not pass a gate's item nor read as healthy to a trigger, and a probe that runs a command is not sent again.
 */
class ProbeCouldNotCheckIT {
    @RegisterExtension
    static final DockerTestHosts HOSTS = DockerTestHosts.numbered(166);
    /** A silent daemon's calls end after 15 s, not the minute operators get (a trigger probe's own 10 s still ends first). */
    @RegisterExtension
    static final ShortDockerResponseTimeout RESPONSE_TIMEOUT = new ShortDockerResponseTimeout(Duration.ofSeconds(15));

    private static final String IMAGE = "workspace-base:latest";
    private static final String APP = "probe-app";

    @TempDir
    Path tmp;

    private static TestHost host() {
        return HOSTS.host(166);
    }

    private HostExec exec(String command) {
        return HOSTS.exec(host(), command);
    }

    @BeforeEach
    void startTheApp() {
        exec("systemctl start docker").orFail();
        exec("docker rm -f " + APP + " >/dev/null 2>&1; docker run -d --name " + APP + " --network none " + IMAGE
                + " sleep 600").orFail();
    }

    @AfterEach
    void leaveDockerRunning() {
        exec("kill -CONT $(cat /run/docker.pid) 2>/dev/null; systemctl start docker; docker rm -f " + APP + " >/dev/null 2>&1; true")
                .orFail();
    }

    private Path inventory() throws Exception {
        return Files.writeString(tmp.resolve("inventory.yaml"), """
                apiVersion: opsctl/v1
                kind: Inventory
                hosts:
                  web1: {address: %s, port: %d, user: %s}
                groups:
                  web: {hosts: [web1]}
                """.formatted(host().address(), host().sshPort(), host().user()));
    }

    private Services services() {
        return Services.standard(new Env(tmp.resolve("state"), Clock.systemUTC(), "alice", false, Map.of()), Prompter.NON_INTERACTIVE,
                TestHostTargets.over(host()));
    }

    private int run(Path runbook, EventSink events) throws Exception {
        return services().runs().run(RunRequest.of(runbook).withInventory(inventory()), events);
    }

    @Test
    void aGateItemWhoseDockerDaemonDoesNotAnswerFailsClosedThoughItsPlaceholderRcIsTheExpectedOne() throws Exception {
        exec("rm -f /tmp/deployed; systemctl stop docker").orFail();
        Map<String, Object> item = gateItem(ExitCodes.GATE_FAILED);
        assertEquals("failed", item.get("status"), item.toString());
        String note = String.valueOf(item.get("note"));
        assertTrue(note.startsWith("expected rc == 1; the probe could not check: docker daemon on host 'web1' is not answering"), note);
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aGateItemWhoseDockerDaemonIsFrozenFailsClosedOnceTheDaemonsTimeIsUp() throws Exception {
        exec("rm -f /tmp/deployed; kill -STOP $(cat /run/docker.pid)").orFail();
        Map<String, Object> item = gateItem(ExitCodes.GATE_FAILED);
        assertEquals("failed", item.get("status"), item.toString());
        String note = String.valueOf(item.get("note"));
        assertTrue(note.startsWith("expected rc == 1; the probe could not check: docker daemon on host 'web1' did not answer within "
                + RESPONSE_TIMEOUT.said() + " while exec in container '" + APP + "'"), note);
    }

    /** Runs a runbook gated before each host by a docker probe expecting rc 1: exit {@code code}, nothing deployed; its item. */
    private Map<String, Object> gateItem(int code) throws Exception {
        Files.createDirectories(tmp.resolve("runbooks"));
        Files.createDirectories(tmp.resolve("checklists"));
        Files.writeString(tmp.resolve("checklists/hostready.yaml"), """
                apiVersion: opsctl/v1
                kind: Checklist
                metadata: {name: hostready}
                scope: host
                items:
                  - id: no-stale-lock
                    text: The app holds no stale lock
                    probe: {docker: {exec: {container: %s, command: [test, -e, /tmp/stale.lock]}}}
                    expect: "rc == 1"
                """.formatted(APP));
        Path runbook = Files.writeString(tmp.resolve("runbooks/gated.yaml"), """
                apiVersion: opsctl/v1
                kind: Runbook
                metadata: {name: gated}
                targets: web
                gates:
                  before_host: [hostready]
                steps:
                  - id: deploy
                    shell: "touch /tmp/deployed"
                """);
        RecordingSink recorded = new RecordingSink();
        assertEquals(code, run(runbook, recorded), recorded.all().toString());
        assertFalse(exec("test -e /tmp/deployed").ok(), "no step ran past the gate");
        return recorded.of(RunEvent.GateEvaluated.class).get(0).answers().get(0);
    }

    @Test
    void aTriggerWhoseDockerDaemonDoesNotAnswerCountsAsHoldingNotAsTheEmptyOutputReads() throws Exception {
        Path runbook = Files.writeString(tmp.resolve("rb.yaml"), """
                apiVersion: opsctl/v1
                kind: Runbook
                metadata: {name: daemon-down}
                targets: web
                triggers:
                  - name: app-unhealthy
                    probe: {docker: {exec: {container: %s, command: [cat, /tmp/health]}}}
                    when: "stdout contains 'unhealthy'"
                    then: rollback
                steps:
                  - id: restart-docker
                    # dockerd does not come back: the app is gone with it
                    shell: "systemctl stop docker"
                rollback:
                  - id: undo
                    shell: "systemctl start docker"
                """.formatted(APP));

        RecordingSink recorded = new RecordingSink();
        int code = run(runbook, recorded);

        assertEquals(ExitCodes.ROLLED_BACK, code, recorded.all().toString());
        String evidence = recorded.of(RunEvent.TriggerFired.class).get(0).evidence();
        assertTrue(evidence.startsWith("could not check (docker daemon on host 'web1' is not answering"), evidence);
        assertTrue(evidence.endsWith("so 'stdout contains 'unhealthy'' counts as holding"), evidence);
        assertEquals(List.of("changed"), recorded.finished("web1", "undo").stream().map(RunEvent.StepFinished::outcome).toList());
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aTriggerWhoseDockerDaemonIsFrozenCouldNotCheckOnceItsProbeTimedOutAndRollsBack() throws Exception {
        Path runbook = Files.writeString(tmp.resolve("rb.yaml"), """
                apiVersion: opsctl/v1
                kind: Runbook
                metadata: {name: daemon-frozen}
                targets: web
                triggers:
                  - name: app-unhealthy
                    probe: {docker: {exec: {container: %s, command: [cat, /tmp/health]}}}
                    when: "stdout contains 'unhealthy'"
                    interval: 1s
                    then: rollback
                steps:
                  - id: freeze-docker
                    shell: "kill -STOP $(cat /run/docker.pid)"
                rollback:
                  - id: thaw
                    shell: "kill -CONT $(cat /run/docker.pid)"
                """.formatted(APP));

        RecordingSink recorded = new RecordingSink();
        int code = run(runbook, recorded);

        assertEquals(ExitCodes.ROLLED_BACK, code, recorded.all().toString());
        String evidence = recorded.of(RunEvent.TriggerFired.class).get(0).evidence();
        // the probe's 10 s is its exec's timeout too, which bounds the exec's create: it ends just before the probe's watchdog
        assertEquals("could not check (docker daemon on host 'web1' did not answer within 10s while exec in container '" + APP
                + "'; the daemon may have done it, or may still be doing it), so 'stdout contains 'unhealthy'' counts as holding",
                evidence);
        assertEquals(List.of("changed"), recorded.finished("web1", "thaw").stream().map(RunEvent.StepFinished::outcome).toList());
    }

    @Test
    void aProbeWhoseConnectionBrokeIsNotSentAgainSinceItsCommandMayHaveChangedSomething() throws Exception {
        exec("docker exec " + APP + " rm -f /tmp/probe-runs").orFail();
        Path runbook = Files.writeString(tmp.resolve("rb.yaml"), """
                apiVersion: opsctl/v1
                kind: Runbook
                metadata: {name: probe-lost}
                targets: web
                triggers:
                  - name: app-down
                    probe: {docker: {exec: {container: %s, command: [sh, -c, "echo start >> /tmp/probe-runs; sleep 3; echo end >> /tmp/probe-runs; echo up"]}}}
                    when: "stdout == 'down'"
                    failure_limit: 2
                    then: rollback
                steps:
                  - id: deploy
                    shell: "true"
                rollback:
                  - id: undo
                    shell: "true"
                """.formatted(APP));
        RecordingSink recorded = new RecordingSink();
        EventSink breaking = e -> {
            recorded.accept(e);
            if (e instanceof RunEvent.StepFinished f && f.step().equals("deploy")) {
                Thread t = new Thread(() -> {
                    exec("for i in $(seq 150); do docker exec " + APP + " test -s /tmp/probe-runs && exit 0; sleep 0.1; done; exit 1")
                            .orFail();
                    HOSTS.killSshConnections(host());
                });
                t.setDaemon(true);
                t.start();
            }
        };

        int code = run(runbook, breaking);

        assertEquals(ExitCodes.OK, code, recorded.all().toString());
        // pending (1 of 2) when the host's steps ended, so sampled once more one interval later: a new sample after the
        // first ended, never a resend beside it
        assertEquals("start\nend\nstart\nend\n", exec("docker exec " + APP + " cat /tmp/probe-runs").stdout(),
                "not sent again beside the first, which ran on in the container");
        String pending = recorded.of(RunEvent.Notice.class).stream().map(RunEvent.Notice::message)
                .filter(m -> m.startsWith("trigger 'app-down' pending on host 'web1': could not check (")).findFirst()
                .orElseThrow(() -> new AssertionError(recorded.all().toString()));
        assertTrue(pending.contains("was cut short") && pending.contains("1 of 2 samples in a row"), pending);
    }
}
