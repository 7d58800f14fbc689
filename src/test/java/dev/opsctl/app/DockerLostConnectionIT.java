package dev.opsctl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A docker step whose SSH connection breaks under it, against a real dockerd reached over real sshd (test host
 * 140; sshd's processes for the open connections killed once the container runs, the listener left): it runs on without
 * the connection, so opsctl must not run the step again beside it unless it is idempotent, and halts the
 * rollout when it cannot say the container is gone.
 */
class DockerLostConnectionIT {
    @RegisterExtension
    static final DockerTestHosts HOSTS = DockerTestHosts.numbered(140);
    /** A silent daemon's calls end after 15 s, not the minute operators get (a trigger probe's own 10 s still ends first). */
    @RegisterExtension
    static final ShortDockerResponseTimeout RESPONSE_TIMEOUT = new ShortDockerResponseTimeout(Duration.ofSeconds(15));

    private static final String IMAGE = "workspace-base:latest";
    private static final String LABEL = "opsctl-test=lost";

    @TempDir
    Path tmp;

    @AfterEach
    void removeContainers() {
        HOSTS.exec(host(), "docker ps -aq --filter label=" + LABEL + " | xargs -r docker rm -f").orFail();
    }

    private static TestHost host() {
        return HOSTS.host(140);
    }

    /** web1 and web2 are both test host 140 (TestHostTargets): enough to see that no other host starts. */
    private Path inventory() throws Exception {
        String entry = "{address: " + host().address() + ", port: " + host().sshPort() + ", user: " + host().user() + "}";
        return WebInventory.write(tmp, entry, entry);
    }

    private Path runbook(String steps) throws Exception {
        return Files.writeString(tmp.resolve("rb.yaml"), """
                apiVersion: opsctl/v1
                kind: Runbook
                metadata: {name: docker-lost}
                targets: web
                strategy: {serial: 1, max_failures: 1, continue_on_failure: true}
                steps:
                %s""".formatted(steps.indent(2)));
    }

    private Services services() {
        return Services.standard(new Env(tmp.resolve("state"), Clock.systemUTC(), "alice", false, Map.of()), Prompter.NON_INTERACTIVE,
                TestHostTargets.over(host()));
    }

    /**
     * Breaks web1's ssh connections, on a thread of its own, once the step started on it (attempt 1) and
     * {@code ready} (a command on the host) says its container runs: mid-call, not before the call began.
     */
    private static EventSink breakingWhen(RecordingSink recorded, String step, String ready) {
        return e -> {
            recorded.accept(e);
            if (e instanceof RunEvent.StepStarted s && s.host().equals("web1") && s.step().equals(step) && s.attempt() == 1) {
                Thread t = new Thread(() -> {
                    HOSTS.exec(host(), "for i in $(seq 150); do " + ready + " && exit 0; sleep 0.1; done; exit 1").orFail();
                    HOSTS.killSshConnections(host());
                });
                t.setDaemon(true);
                t.start();
            }
        };
    }

    private HostExec exec(String command) {
        return HOSTS.exec(host(), command);
    }

    private String runId() throws Exception {
        try (Stream<Path> runs = Files.list(tmp.resolve("state/runs"))) {
            return runs.findFirst().orElseThrow().getFileName().toString();
        }
    }

    private List<String> journal() throws Exception {
        return Files.readAllLines(tmp.resolve("state/runs").resolve(runId()).resolve("journal.jsonl"));
    }

    /** The container's log once it ended on its own (15 s at most), or what it has so far. */
    private String logsWhenExited(String name) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < until && exec("docker inspect -f '{{.State.Running}}' " + name).stdout().strip().equals("true")) {
            Thread.sleep(200);
        }
        return exec("docker logs " + name).stdout();
    }

    @Test
    void aContainerWhoseConnectionBrokeRunsOnAloneIsNotRetriedHaltsTheRolloutAndResumeWillNotRunItAgain() throws Exception {
        RecordingSink recorded = new RecordingSink();
        int code = services().runs().run(RunRequest.of(runbook("""
                - id: migrate
                  docker:
                    run:
                      image: %s
                      command: [sh, -c, "echo start; sleep 4; echo done"]
                      name: lost-migrate
                      rm: false
                      network: none
                      labels: {opsctl-test: lost}
                  retries: 2
                  delay: 1s
                - id: after
                  shell: "true"
                """.formatted(IMAGE))).withInventory(inventory()), breakingWhen(recorded, "migrate",
                // and a moment more: the wait for its exit is the request sent after it started, and one sent after the
                // break goes on a new connection (the run then ends as the container does)
                "docker logs lost-migrate 2>/dev/null | grep -q start && sleep 0.5"));

        assertEquals(ExitCodes.HUMAN_MUST_ACT, code, recorded.all().toString());
        RunEvent.StepFinished migrate = recorded.finished("web1", "migrate").get(0);
        assertEquals("connection_lost", migrate.outcome(), migrate.message());
        String id = exec("docker inspect -f '{{.Id}}' lost-migrate").stdout().strip();
        for (String said : List.of("docker on host 'web1': running image '" + IMAGE + "' was cut short: the ssh connection to '"
                        + host().address() + ":" + host().sshPort() + "' broke (",
                "; container '" + id.substring(0, 12) + "' may still be running on the host",
                "; not retried (attempt 1 of 3): the step is not idempotent")) {
            assertTrue(migrate.message().contains(said), said + " in: " + migrate.message());
        }
        assertEquals(1, recorded.of(RunEvent.StepStarted.class).stream().filter(s -> s.step().equals("migrate")).count(),
                "one attempt, on web1 only");
        assertEquals(List.of(), recorded.finished("web1", "after"), "nothing runs beside it");
        RunEvent.RunFinished end = recorded.of(RunEvent.RunFinished.class).get(0);
        assertEquals(Map.of("web1", "halted", "web2", "not_started"), end.hosts(), end.message());
        assertTrue(end.message().contains("step 'migrate' lost its connection mid-way: its command may still be running, or its change may have been applied"),
                end.message());
        assertTrue(journal().stream().anyMatch(l -> l.contains("\"type\":\"step-finished\"") && l.contains("\"step\":\"migrate\"")
                && l.contains("\"outcome\":\"connection_lost\"")), String.join("\n", journal()));

        assertEquals("start\ndone\n", logsWhenExited("lost-migrate"), "it ran on to its end after the connection broke");
        assertEquals("1", exec("docker ps -aq --filter label=" + LABEL + " | wc -l").stdout().strip(), "one container, run once");
        String run = runId();
        OpsctlException refused = assertThrows(OpsctlException.class, () -> services().history().resume(ResumeRequest.of(run),
                new RecordingSink()));
        assertTrue(refused.getMessage().contains("step 'migrate' lost its connection while its command ran"), refused.getMessage());
        assertEquals("1", exec("docker ps -aq --filter label=" + LABEL + " | wc -l").stdout().strip(), "resume ran nothing");
    }

    @Test
    void anIdempotentContainerRunIsRemovedFromANewConnectionAndRunAgainThere() throws Exception {
        RecordingSink recorded = new RecordingSink();
        int code = services().runs().run(RunRequest.of(runbook("""
                - id: check
                  docker:
                    run:
                      image: %s
                      command: [sh, -c, "sleep 4; echo checked"]
                      network: none
                      labels: {opsctl-test: lost}
                  idempotent: true
                  retries: 1
                  delay: 1s
                  when: "host.name == 'web1'"
                """.formatted(IMAGE))).withInventory(inventory()), breakingWhen(recorded, "check",
                "[ -n \"$(docker ps -q --filter label=" + LABEL + ")\" ] && sleep 0.5"));

        assertEquals(ExitCodes.OK, code, recorded.all().toString());
        RunEvent.StepFinished check = recorded.finished("web1", "check").get(0);
        assertEquals("ok", check.outcome(), check.message());
        assertEquals("container from '" + IMAGE + "' exited 0: checked", check.message());
        assertEquals(List.of(1, 2), recorded.of(RunEvent.StepStarted.class).stream().filter(s -> s.host().equals("web1"))
                .map(RunEvent.StepStarted::attempt).toList());
        String retried = recorded.of(RunEvent.Notice.class).stream().map(RunEvent.Notice::message)
                .filter(m -> m.startsWith("step 'check' attempt 1 of 2: ")).findFirst().orElseThrow(() -> new AssertionError(
                        recorded.all().toString()));
        for (String said : List.of("docker on host 'web1': running image '" + IMAGE + "' was cut short: the ssh connection to '",
                "; opsctl reconnected and removed container '", "; retrying in 1s")) {
            assertTrue(retried.contains(said), said + " in: " + retried);
        }
        assertEquals("0", exec("docker ps -aq --filter label=" + LABEL + " | wc -l").stdout().strip(),
                "the cut-short container was removed, the second removed after its run");
    }

    @Test
    void anExecWhoseConnectionBrokeRunsOnInItsContainerAndHaltsTheRollout() throws Exception {
        exec("docker run -d --init --name lost-exec --label " + LABEL + " --network none " + IMAGE + " sleep 300 >/dev/null");
        RecordingSink recorded = new RecordingSink();
        int code = services().runs().run(RunRequest.of(runbook("""
                - id: reindex
                  docker:
                    exec:
                      container: lost-exec
                      command: [sh, -c, "echo start >> /tmp/reindex.log; sleep 4; echo done >> /tmp/reindex.log"]
                  retries: 1
                """)).withInventory(inventory()), breakingWhen(recorded, "reindex",
                "docker exec lost-exec test -s /tmp/reindex.log"));

        assertEquals(ExitCodes.HUMAN_MUST_ACT, code, recorded.all().toString());
        RunEvent.StepFinished reindex = recorded.finished("web1", "reindex").get(0);
        assertEquals("connection_lost", reindex.outcome(), reindex.message());
        for (String said : List.of("docker on host 'web1': exec in container 'lost-exec' was cut short: the ssh connection to '",
                "; the command may still be running in container 'lost-exec'", "; not retried (attempt 1 of 2)")) {
            assertTrue(reindex.message().contains(said), said + " in: " + reindex.message());
        }
        assertEquals(Map.of("web1", "halted", "web2", "not_started"), recorded.of(RunEvent.RunFinished.class).get(0).hosts());
        long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String log = "";
        while (System.nanoTime() < until && !log.contains("done")) {
            Thread.sleep(200);
            log = exec("docker exec lost-exec cat /tmp/reindex.log").stdout();
        }
        assertEquals("start\ndone\n", log, "it ran on to its end in the container, once");
    }

    /**
     * The exit status of an attached run came through, the rest of its output did not (the wait's answer overtook the
     * attach's last frames, then the ssh connection broke): the step must not end ok on the output so far, unsaid.
     */
    @Test
    void anAttachedRunWhoseOutputWasCutByTheLostConnectionAfterItsExitStatusCameEndsWithAllItsOutput() throws Exception {
        RecordingSink recorded = new RecordingSink();
        int code = runWithOutputCut(recorded, "");

        RunEvent.StepFinished migrate = recorded.finished("web1", "migrate").get(0);
        assertEquals(ExitCodes.OK, code, recorded.all().toString());
        assertEquals("ok", migrate.outcome(), migrate.message());
        assertEquals("container from '" + IMAGE + "' exited 0: done", migrate.message());
        assertEquals("start\ndone\n", migrate.result().get("output"), "all its output, read again from a new connection");
    }

    @Test
    void anAttachedRunWhoseCutOutputCannotBeReadAgainIsConnectionLostNotRetriedAndNotHaltingSinceItEnded() throws Exception {
        RecordingSink recorded = new RecordingSink();
        int code = runWithOutputCut(recorded, "no-log-reads");

        RunEvent.StepFinished migrate = recorded.finished("web1", "migrate").get(0);
        assertEquals(ExitCodes.FAILED, code, recorded.all().toString());
        assertEquals("connection_lost", migrate.outcome(), migrate.message());
        String id = exec("docker inspect -f '{{.Id}}' cut-migrate").stdout().strip();
        for (String said : List.of("docker on host 'web1': running image '" + IMAGE + "' was cut short: the ssh connection to '",
                "; container '" + id.substring(0, 12) + "' exited 0, but the rest of its output was lost and could not be read"
                        + " again from its log (docker on host 'web1': running image '" + IMAGE + "' failed (status 501): configured"
                        + " logging driver does not support reading)",
                "; not retried (attempt 1 of 2): the step is not idempotent")) {
            assertTrue(migrate.message().contains(said), said + " in: " + migrate.message());
        }
        assertEquals(1, recorded.of(RunEvent.StepStarted.class).stream().filter(s -> s.step().equals("migrate")).count(), "run once");
        assertEquals(Map.of("web1", "failed", "web2", "ok"), recorded.of(RunEvent.RunFinished.class).get(0).hosts(),
                "it ended: nothing of it may still run, so no halt");
    }

    /**
     * The log read that was to complete a cut run's output is cut short too, ending as cleanly as a whole one: the step must
     * not end ok on the log's first line as if it were all the run printed.
     */
    @Test
    void anAttachedRunWhoseLogReadAgainIsCutShortTooIsConnectionLostNotOkOnPartOfItsOutput() throws Exception {
        RecordingSink recorded = new RecordingSink();
        int code = runWithOutputCut(recorded, "cut-log-reads");

        assertEquals("killed the ssh connections once the wait's answer was read\n"
                + "killed the ssh connections when the log read had passed its first line\n", exec("cat /root/attach-cut-proxy.log").stdout(),
                "the scenario took place");
        RunEvent.StepFinished migrate = recorded.finished("web1", "migrate").get(0);
        assertEquals("connection_lost", migrate.outcome(), migrate.message() + " " + migrate.result());
        String id = exec("docker inspect -f '{{.Id}}' cut-migrate").stdout().strip();
        for (String said : List.of("docker on host 'web1': running image '" + IMAGE + "' was cut short: the ssh connection to '",
                "; container '" + id.substring(0, 12) + "' exited 0, but the rest of its output was lost and could not be read"
                        + " again from its log (docker on host 'web1': running image '" + IMAGE + "' was cut short: the ssh connection to '",
                "; not retried (attempt 1 of 2): the step is not idempotent")) {
            assertTrue(migrate.message().contains(said), said + " in: " + migrate.message());
        }
        assertEquals(1, recorded.of(RunEvent.StepStarted.class).stream().filter(s -> s.step().equals("migrate")).count(), "run once");
        assertEquals(ExitCodes.FAILED, code, recorded.all().toString());
        assertEquals(Map.of("web1", "failed", "web2", "ok"), recorded.of(RunEvent.RunFinished.class).get(0).hosts(),
                "it ended: nothing of it may still run, so no halt");
    }

    /**
     * The log read that was to complete a cut run's output holds only its last line, as a log driver that keeps only the
     * newest lines answers: the step must not end ok on 'done' alone, the 'start' the attach had got dropped unsaid.
     */
    @Test
    void anAttachedRunWhoseLogNoLongerHoldsItsFirstLinesIsConnectionLostNotOkOnPartOfItsOutput() throws Exception {
        RecordingSink recorded = new RecordingSink();
        int code = runWithOutputCut(recorded, "tail-log-reads");

        assertEquals("killed the ssh connections once the wait's answer was read\nasked for the log's last line only\n",
                exec("cat /root/attach-cut-proxy.log").stdout(), "the scenario took place");
        RunEvent.StepFinished migrate = recorded.finished("web1", "migrate").get(0);
        assertEquals("connection_lost", migrate.outcome(), migrate.message() + " " + migrate.result());
        String id = exec("docker inspect -f '{{.Id}}' cut-migrate").stdout().strip();
        assertTrue(migrate.message().contains("; container '" + id.substring(0, 12) + "' exited 0, but the rest of its output was"
                + " lost and could not be read again from its log (the log does not begin with the output the run had sent before"
                + " the break: it no longer holds all of it); not retried (attempt 1 of 2): the step is not idempotent"),
                migrate.message());
        assertEquals(ExitCodes.FAILED, code, recorded.all().toString());
        assertEquals(Map.of("web1", "failed", "web2", "ok"), recorded.of(RunEvent.RunFinished.class).get(0).hosts(),
                "it ended: nothing of it may still run, so no halt");
    }

    /**
     * Runs 'echo start; sleep 1; echo done' attached on web1 through a socket in front of its dockerd that holds back
     * what follows 'start' and breaks the ssh connections once the exit status was read (attach-cut-proxy.py).
     */
    private int runWithOutputCut(RecordingSink recorded, String proxyMode) throws Exception {
        int code = throughProxy(proxyMode, recorded, """
                - id: migrate
                  docker:
                    socket: /run/attach-cut.sock
                    run:
                      image: %s
                      command: [sh, -c, "echo start; sleep 1; echo done"]
                      name: cut-migrate
                      rm: false
                      network: none
                      labels: {opsctl-test: lost}
                  retries: 1
                  when: "host.name == 'web1'"
                """.formatted(IMAGE));
        assertTrue(exec("cat /root/attach-cut-proxy.log").stdout().startsWith("killed the ssh connections once the wait's answer was read\n"),
                "the scenario took place");
        assertEquals("start\ndone\n", exec("docker logs cut-migrate").stdout(), "it ran to its end");
        return code;
    }

    /** dockerd stopped (SIGSTOP): it takes requests on its socket and answers none. */
    @Test
    void aReadOfASilentDaemonFailsAfterTheResponseTimeoutInsteadOfWaitingForEver() throws Exception {
        RecordingSink recorded = new RecordingSink();
        exec("kill -STOP $(cat /run/docker.pid)").orFail();
        int code;
        try {
            code = bounded(() -> services().runs().run(RunRequest.of(runbook("""
                    - id: count
                      docker:
                        ps: {label: opsctl-test}
                      when: "host.name == 'web1'"
                    """)).withInventory(inventory()), recorded));
        } finally {
            exec("kill -CONT $(cat /run/docker.pid)");
        }
        RunEvent.StepFinished count = recorded.finished("web1", "count").get(0);
        assertEquals("timed_out", count.outcome(), count.message());
        assertEquals("docker daemon on host 'web1' did not answer within " + RESPONSE_TIMEOUT.said() + " while listing containers",
                count.message());
        assertTrue(count.elapsedMs() < 40_000, "after the response timeout: " + count.elapsedMs() + " ms");
        assertEquals(ExitCodes.FAILED, code, recorded.all().toString());
    }

    /**
     * A docker 'wait' whose own timeout is shorter than the response timeout, on a stopped dockerd: it ends at its own
     * timeout, as it says it does, not after one ping waited the whole response timeout.
     */
    @Test
    void aWaitForASilentDaemonEndsAtItsOwnTimeoutNotAfterTheResponseTimeout() throws Exception {
        RecordingSink recorded = new RecordingSink();
        exec("kill -STOP $(cat /run/docker.pid)").orFail();
        int code;
        try {
            code = bounded(() -> services().runs().run(RunRequest.of(runbook("""
                    - id: ready
                      docker:
                        wait: {timeout: 3s, interval: 1s}
                      when: "host.name == 'web1'"
                    """)).withInventory(inventory()), recorded));
        } finally {
            exec("kill -CONT $(cat /run/docker.pid)");
        }
        RunEvent.StepFinished ready = recorded.finished("web1", "ready").get(0);
        assertEquals("timed_out", ready.outcome(), ready.message());
        assertTrue(ready.message().startsWith("docker daemon on host 'web1' did not answer within 3s ("), ready.message());
        assertTrue(ready.elapsedMs() < 8_000, "at its own 3s, not the response timeout's " + RESPONSE_TIMEOUT.said() + ": "
                + ready.elapsedMs() + " ms");
        assertEquals(ExitCodes.FAILED, code, recorded.all().toString());
    }

    /**
     * An exec whose own timeout is shorter than the response timeout, on a stopped dockerd (a gate's probe has no watchdog
     * to end it): its create is waited for no longer than that timeout.
     */
    @Test
    void anExecOnASilentDaemonEndsAtItsOwnTimeoutNotAfterTheResponseTimeout() throws Exception {
        exec("docker run -d --init --name frozen-exec --label " + LABEL + " --network none " + IMAGE + " sleep 300 >/dev/null").orFail();
        RecordingSink recorded = new RecordingSink();
        exec("kill -STOP $(cat /run/docker.pid)").orFail();
        int code;
        try {
            code = bounded(() -> services().runs().run(RunRequest.of(runbook("""
                    - id: probe
                      docker:
                        exec: {container: frozen-exec, command: [test, -e, /tmp/stale.lock], timeout: 3s}
                      when: "host.name == 'web1'"
                    """)).withInventory(inventory()), recorded));
        } finally {
            exec("kill -CONT $(cat /run/docker.pid)");
        }
        RunEvent.StepFinished probe = recorded.finished("web1", "probe").get(0);
        assertEquals("timed_out", probe.outcome(), probe.message());
        assertTrue(probe.message().startsWith("docker daemon on host 'web1' did not answer within 3s while exec in container"
                + " 'frozen-exec'"), probe.message());
        assertTrue(probe.elapsedMs() < 8_000, "at its own 3s, not the response timeout's " + RESPONSE_TIMEOUT.said() + ": "
                + probe.elapsedMs() + " ms");
        assertEquals(ExitCodes.HUMAN_MUST_ACT, code, recorded.all().toString());
    }

    /** A run against a daemon that may not answer, given 150 s: a call that waits for ever fails the test, not the build. */
    private static int bounded(org.junit.jupiter.api.function.ThrowingSupplier<Integer> run) {
        return assertTimeoutPreemptively(Duration.ofSeconds(150), run, "opsctl still waiting after 150 s");
    }

    /** Runs {@code steps} with attach-cut-proxy.py in {@code proxyMode} serving /run/attach-cut.sock on the host. */
    private int throughProxy(String proxyMode, RecordingSink recorded, String steps) throws Exception {
        String proxy = new String(DockerLostConnectionIT.class.getResourceAsStream("attach-cut-proxy.py").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        exec("cat > /root/attach-cut-proxy.py <<'PY'\n" + proxy + "PY\n"
                + "setsid python3 /root/attach-cut-proxy.py /run/attach-cut.sock " + proxyMode
                + " </dev/null >/root/attach-cut-proxy.log 2>&1 &\n"
                + "for i in $(seq 100); do [ -s /run/attach-cut.sock.pid ] && exit 0; sleep 0.1; done; exit 1").orFail();
        try {
            return bounded(() -> services().runs().run(RunRequest.of(runbook(steps)).withInventory(inventory()), recorded));
        } finally {
            // a dockerd the proxy stopped (SIGSTOP) goes on, whether or not the proxy got to it
            exec("kill $(cat /run/attach-cut.sock.pid); kill -CONT $(cat /run/docker.pid); rm -f /run/attach-cut.sock /run/attach-cut.sock.pid");
        }
    }

    @Test
    void anExecThatRanToItsEndIsNotRunAgainWhenItsExitStatusCannotBeReadForALostConnection() throws Exception {
        exec("docker run -d --init --name status-exec --label " + LABEL + " --network none " + IMAGE + " sleep 300 >/dev/null");
        RecordingSink recorded = new RecordingSink();
        int code = throughProxy("break-exec-status", recorded, """
                - id: reindex
                  docker:
                    socket: /run/attach-cut.sock
                    exec:
                      container: status-exec
                      command: [sh, -c, "echo ran >> /tmp/reindex.log"]
                  retries: 1
                  when: "host.name == 'web1'"
                """);

        assertTrue(exec("cat /root/attach-cut-proxy.log").stdout().startsWith(
                "killed the ssh connections when the exec's exit status was asked for\n"), "the scenario took place");
        assertEquals("ran\n", exec("docker exec status-exec cat /tmp/reindex.log").stdout(), "run once");
        RunEvent.StepFinished reindex = recorded.finished("web1", "reindex").get(0);
        assertEquals("connection_lost", reindex.outcome(), reindex.message());
        for (String said : List.of("docker on host 'web1': exec in container 'status-exec' ran to its end, but its exit status"
                + " could not be read: docker on host 'web1': exec in container 'status-exec' was cut short: the ssh connection to '",
                "; not retried (attempt 1 of 2): the step is not idempotent")) {
            assertTrue(reindex.message().contains(said), said + " in: " + reindex.message());
        }
        assertEquals(ExitCodes.FAILED, code, recorded.all().toString());
    }

    @Test
    void aTimedOutRunWhoseKillWasCutOffByALostConnectionIsNotReportedKilledNorRunAgainBesideIt() throws Exception {
        RecordingSink recorded = new RecordingSink();
        int code = throughProxy("break-kill", recorded, """
                - id: migrate
                  docker:
                    socket: /run/attach-cut.sock
                    run:
                      image: %s
                      command: [sh, -c, "echo start; sleep 30"]
                      rm: false
                      network: none
                      labels: {opsctl-test: lost}
                      timeout: 2s
                  retries: 1
                  when: "host.name == 'web1'"
                """.formatted(IMAGE));

        assertTrue(exec("cat /root/attach-cut-proxy.log").stdout().startsWith(
                "killed the ssh connections when the container was to be killed\n"), "the scenario took place");
        assertEquals("1", exec("docker ps -aq --filter label=" + LABEL + " | wc -l").stdout().strip(), "none beside it");
        String id = exec("docker ps -aq --no-trunc --filter label=" + LABEL).stdout().strip();
        assertEquals("true", exec("docker inspect -f '{{.State.Running}}' " + id).stdout().strip(), "not killed");
        RunEvent.StepFinished migrate = recorded.finished("web1", "migrate").get(0);
        assertEquals("connection_lost", migrate.outcome(), migrate.message());
        for (String said : List.of("docker on host 'web1': killing container '" + id.substring(0, 12) + "' after 2s was cut short:"
                + " the ssh connection to '", "; container '" + id.substring(0, 12) + "' may still be running on the host",
                "; not retried (attempt 1 of 2): the step is not idempotent")) {
            assertTrue(migrate.message().contains(said), said + " in: " + migrate.message());
        }
        assertEquals(ExitCodes.HUMAN_MUST_ACT, code, recorded.all().toString());
    }

    /** Runs 'echo ran' attached with rm on web1 through the proxy in {@code proxyMode}, which keeps its container from being removed. */
    private int runWhoseRemovalFails(String proxyMode, RecordingSink recorded) throws Exception {
        return throughProxy(proxyMode, recorded, """
                - id: migrate
                  docker:
                    socket: /run/attach-cut.sock
                    run:
                      image: %s
                      command: [sh, -c, "echo ran"]
                      network: none
                      labels: {opsctl-test: lost}
                  retries: 1
                  when: "host.name == 'web1'"
                """.formatted(IMAGE));
    }

    @Test
    void aRunThatEndedWhoseRemovalWasCutOffByALostConnectionIsNotRetriedAndDoesNotHalt() throws Exception {
        RecordingSink recorded = new RecordingSink();
        int code = runWhoseRemovalFails("break-remove", recorded);

        assertTrue(exec("cat /root/attach-cut-proxy.log").stdout().startsWith(
                "killed the ssh connections when the container was to be removed\n"), "the scenario took place");
        String id = exec("docker ps -aq --no-trunc --filter label=" + LABEL).stdout().strip();
        assertEquals(64, id.length(), "one container, run once and left: " + id);
        assertEquals("exited", exec("docker inspect -f '{{.State.Status}}' " + id).stdout().strip());
        RunEvent.StepFinished migrate = recorded.finished("web1", "migrate").get(0);
        assertEquals("connection_lost", migrate.outcome(), migrate.message());
        for (String said : List.of("docker on host 'web1': container '" + id.substring(0, 12) + "' exited 0, but removing it failed:"
                        + " docker on host 'web1': removing container '" + id + "' was cut short: the ssh connection to '",
                "; it may be left on the host, stopped", "; not retried (attempt 1 of 2): the step is not idempotent")) {
            assertTrue(migrate.message().contains(said), said + " in: " + migrate.message());
        }
        assertEquals(Map.of("web1", "failed", "web2", "ok"), recorded.of(RunEvent.RunFinished.class).get(0).hosts(),
                "it ended: nothing of it runs on, so no halt");
        assertEquals(ExitCodes.FAILED, code, recorded.all().toString());
    }

    @Test
    void aRunThatEndedWhoseRemovalCouldNotReachTheDaemonIsNotRunAgain() throws Exception {
        RecordingSink recorded = new RecordingSink();
        int code = runWhoseRemovalFails("refuse-remove", recorded);

        assertTrue(exec("cat /root/attach-cut-proxy.log").stdout().startsWith("closed the container's removal unanswered\n"),
                "the scenario took place");
        String id = exec("docker ps -aq --no-trunc --filter label=" + LABEL).stdout().strip();
        assertEquals(64, id.length(), "one container, run once: " + id);
        RunEvent.StepFinished migrate = recorded.finished("web1", "migrate").get(0);
        assertEquals("connection_lost", migrate.outcome(), migrate.message());
        for (String said : List.of("docker on host 'web1': container '" + id.substring(0, 12) + "' exited 0, but removing it failed:"
                        + " docker daemon on host 'web1' is not answering (removing container '" + id + "')",
                "; it may be left on the host, stopped", "; not retried (attempt 1 of 2): the step is not idempotent")) {
            assertTrue(migrate.message().contains(said), said + " in: " + migrate.message());
        }
        assertEquals(1, recorded.of(RunEvent.StepStarted.class).stream().filter(s -> s.step().equals("migrate")).count(), "run once");
        assertEquals(ExitCodes.FAILED, code, recorded.all().toString());
    }

    /** dockerd stopped (SIGSTOP) when the run that outlived its timeout was to be killed: the kill never came. */
    @Test
    void aTimedOutRunWhoseKillTheSilentDaemonNeverAnsweredMayStillRunAndIsNotRunAgainBesideIt() throws Exception {
        RecordingSink recorded = new RecordingSink();
        int code = throughProxy("silence-kill", recorded, """
                - id: migrate
                  docker:
                    socket: /run/attach-cut.sock
                    run:
                      image: %s
                      command: [sh, -c, "echo start; sleep 300"]
                      rm: false
                      network: none
                      labels: {opsctl-test: lost}
                      timeout: 2s
                  retries: 1
                  when: "host.name == 'web1'"
                """.formatted(IMAGE));

        assertTrue(exec("cat /root/attach-cut-proxy.log").stdout().startsWith("stopped dockerd when the container was to be killed\n"),
                "the scenario took place");
        String id = exec("docker ps -aq --no-trunc --filter label=" + LABEL).stdout().strip();
        assertEquals(64, id.length(), "one container, none beside it: " + id);
        assertEquals("true", exec("docker inspect -f '{{.State.Running}}' " + id).stdout().strip(), "not killed");
        RunEvent.StepFinished migrate = recorded.finished("web1", "migrate").get(0);
        assertEquals("timed_out", migrate.outcome(), migrate.message());
        for (String said : List.of("docker daemon on host 'web1' did not answer within " + RESPONSE_TIMEOUT.said()
                        + " while killing container '" + id.substring(0, 12) + "' after 2s; the daemon may have done it, or may still be doing it; container '" + id.substring(0, 12)
                        + "' may still be running on the host", "; not retried (attempt 1 of 2): the step is not idempotent")) {
            assertTrue(migrate.message().contains(said), said + " in: " + migrate.message());
        }
        RunEvent.RunFinished end = recorded.of(RunEvent.RunFinished.class).get(0);
        assertEquals(Map.of("web1", "halted", "web2", "not_started"), end.hosts(), end.message());
        assertTrue(end.message().contains("step 'migrate' timed out and its command may still be running there"), end.message());
        assertEquals(ExitCodes.HUMAN_MUST_ACT, code, recorded.all().toString());
    }

    /** dockerd stopped (SIGSTOP) when the ended exec's exit status was asked for, longer than the client waits for an answer. */
    @Test
    void anExecThatRanToItsEndIsNotRunAgainWhenTheDaemonWentSilentUnderItsStatusRead() throws Exception {
        exec("docker run -d --init --name silent-exec --label " + LABEL + " --network none " + IMAGE + " sleep 300 >/dev/null");
        RecordingSink recorded = new RecordingSink();
        int code = throughProxy("silence-exec-status", recorded, """
                - id: reindex
                  docker:
                    socket: /run/attach-cut.sock
                    exec:
                      container: silent-exec
                      command: [sh, -c, "echo ran >> /tmp/reindex.log"]
                  retries: 1
                  when: "host.name == 'web1'"
                """);

        assertTrue(exec("cat /root/attach-cut-proxy.log").stdout().startsWith(
                "stopped dockerd when the exec's exit status was asked for\n"), "the scenario took place");
        assertEquals("ran\n", exec("docker exec silent-exec cat /tmp/reindex.log").stdout(), "run once");
        RunEvent.StepFinished reindex = recorded.finished("web1", "reindex").get(0);
        assertEquals("connection_lost", reindex.outcome(), reindex.message());
        for (String said : List.of("docker on host 'web1': exec in container 'silent-exec' ran to its end, but its exit status"
                + " could not be read: docker daemon on host 'web1' did not answer within " + RESPONSE_TIMEOUT.said()
                + " while exec in container 'silent-exec'",
                "; not retried (attempt 1 of 2): the step is not idempotent")) {
            assertTrue(reindex.message().contains(said), said + " in: " + reindex.message());
        }
        assertEquals(ExitCodes.FAILED, code, recorded.all().toString());
    }

    @Test
    void aStopWhoseCheckForTheExitBrokeAfterItsSignalWentOutDoesNotSayNothingChanged() throws Exception {
        // busybox's sleep as PID 1 ignores SIGTERM: it runs on until killed
        exec("docker run -d --name stop-me --label " + LABEL + " --network none " + IMAGE + " sleep 300 >/dev/null");
        RecordingSink recorded = new RecordingSink();
        int code = throughProxy("break-inspect-after-signal", recorded, """
                - id: quiesce
                  docker:
                    socket: /run/attach-cut.sock
                    stop: {ids: [stop-me], timeout: 5s}
                  retries: 1
                  when: "host.name == 'web1'"
                """);

        assertTrue(exec("cat /root/attach-cut-proxy.log").stdout().startsWith(
                "killed the ssh connections when a container was inspected after a signal\n"), "the scenario took place");
        RunEvent.StepFinished quiesce = recorded.finished("web1", "quiesce").get(0);
        assertEquals("connection_lost", quiesce.outcome(), quiesce.message());
        assertFalse(quiesce.message().contains("nothing changed"), quiesce.message());
        for (String said : List.of("docker on host 'web1': inspecting container 'stop-me' was cut short: the ssh connection to '",
                "; asked again on a new connection, which broke too; the stop signal had gone out to container 'stop-me': it may"
                        + " have stopped, or may still be running", "; not retried (attempt 1 of 2): the step is not idempotent")) {
            assertTrue(quiesce.message().contains(said), said + " in: " + quiesce.message());
        }
        assertEquals(Map.of("web1", "halted", "web2", "not_started"), recorded.of(RunEvent.RunFinished.class).get(0).hosts());
        assertEquals(ExitCodes.HUMAN_MUST_ACT, code, recorded.all().toString());
    }

    @Test
    void anExecThatOutlivedItsTimeoutRunsOnInItsContainerSoItIsNotRunAgainBesideItAndHaltsTheRollout() throws Exception {
        exec("docker run -d --init --name slow-exec --label " + LABEL + " --network none " + IMAGE + " sleep 300 >/dev/null");
        RecordingSink recorded = new RecordingSink();
        int code = services().runs().run(RunRequest.of(runbook("""
                - id: reindex
                  docker:
                    exec:
                      container: slow-exec
                      command: [sh, -c, "echo start >> /tmp/reindex.log; sleep 6; echo done >> /tmp/reindex.log"]
                      timeout: 2s
                  retries: 1
                """)).withInventory(inventory()), recorded);

        RunEvent.StepFinished reindex = recorded.finished("web1", "reindex").get(0);
        assertEquals("timed_out", reindex.outcome(), reindex.message());
        for (String said : List.of("exec in container 'slow-exec' still running after 2s; it runs on in the container",
                "; not retried (attempt 1 of 2): the step is not idempotent")) {
            assertTrue(reindex.message().contains(said), said + " in: " + reindex.message());
        }
        assertEquals(Map.of("web1", "halted", "web2", "not_started"), recorded.of(RunEvent.RunFinished.class).get(0).hosts());
        assertEquals(ExitCodes.HUMAN_MUST_ACT, code, recorded.all().toString());
        long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String log = "";
        while (System.nanoTime() < until && !log.contains("done")) {
            Thread.sleep(200);
            log = exec("docker exec slow-exec cat /tmp/reindex.log").stdout();
        }
        assertEquals("start\ndone\n", log, "it ran on to its end in the container, once, with nothing beside it");
    }
}
