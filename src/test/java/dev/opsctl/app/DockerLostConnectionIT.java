package dev.opsctl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.fakes.RecordingSink;
import dev.opsctl.event.EventSink;
import dev.opsctl.event.RunEvent;
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
 * 140; sshd's processes for the open connections killed, the listener left): the container runs on without
 * the connection, so opsctl must not run the step again beside it unless it is idempotent, and halts the
 * rollout when it cannot say the container is gone.
 */
class DockerLostConnectionIT {
    @RegisterExtension
    static final DockerTestHosts HOSTS = DockerTestHosts.numbered(140);

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
        return Files.writeString(tmp.resolve("inventory.yaml"), """
                apiVersion: opsctl/v1
                kind: Inventory
                hosts:
                  web1: %s
                  web2: %s
                groups:
                  web: {hosts: [web1, web2]}
                """.formatted(entry, entry));
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

    /** Breaks web1's ssh connections {@code after} the step starts on it (attempt 1), on a thread of its own. */
    private static EventSink breakingAfterStart(RecordingSink recorded, String step, Duration after) {
        return e -> {
            recorded.accept(e);
            if (e instanceof RunEvent.StepStarted s && s.host().equals("web1") && s.step().equals(step) && s.attempt() == 1) {
                Thread t = new Thread(() -> {
                    try {
                        Thread.sleep(after.toMillis());
                    } catch (InterruptedException x) {
                        return;
                    }
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
                """.formatted(IMAGE))).withInventory(inventory()), breakingAfterStart(recorded, "migrate", Duration.ofMillis(1500)));

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
        assertTrue(end.message().contains("step 'migrate' lost its connection to the host and its command may still be running there"),
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
                """.formatted(IMAGE))).withInventory(inventory()), breakingAfterStart(recorded, "check", Duration.ofMillis(1500)));

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
}
