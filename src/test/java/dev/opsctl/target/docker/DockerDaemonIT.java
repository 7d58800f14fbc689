package dev.opsctl.target.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.TargetException;
import dev.opsctl.target.container.CommandResult;
import dev.opsctl.target.container.Container;
import dev.opsctl.target.container.ContainerRun;
import dev.opsctl.target.container.ContainerSpec;
import dev.opsctl.target.container.StopReport;
import dev.opsctl.testhost.DockerTestHosts;
import dev.opsctl.testhost.TestHost;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The docker target against real dockerd in test hosts, its socket reached through the host's /run. */
class DockerDaemonIT {
    @RegisterExtension
    static final DockerTestHosts HOSTS = DockerTestHosts.numbered(61, 62);

    private static final String IMAGE = "workspace-base:latest";

    private TestHostTarget target;
    private DockerTarget docker;

    @BeforeEach
    void open() throws TargetException {
        target = new TestHostTarget(HOSTS, HOSTS.host(61));
        docker = DockerTargets.of(target);
    }

    @AfterEach
    void close() {
        target.close();
        HOSTS.exec(HOSTS.host(61), "docker ps -aq --filter label=opsctl-test | xargs -r docker rm -f").orFail();
    }

    @Test
    void infoDescribesTheDaemonWithUsernsOff() throws Exception {
        DaemonInfo info = docker.info();
        assertEquals("opsctl-h61", info.name());
        assertEquals("/var/lib/docker", info.rootDir());
        assertFalse(info.userns(), info.securityOptions().toString());
        assertFalse(info.serverVersion().isEmpty());
        assertEquals(3, info.containersRunning(), "the warm pool");
    }

    @Test
    void oneClientPerTargetAndSocketIsOpenedOnFirstUse() throws Exception {
        assertEquals(0, target.forwards());
        assertTrue(docker == DockerTargets.of(target));
        docker.ping();
        docker.info();
        assertEquals(1, target.forwards());
    }

    @Test
    void listsContainersByLabel() throws Exception {
        List<Container> pool = docker.list(List.of("workspace"), false);
        assertEquals(3, pool.size(), pool.toString());
        assertTrue(pool.stream().allMatch(Container::running));
        assertEquals(3, docker.list(List.of("workspace=1"), false).size());
        assertEquals(0, docker.list(List.of("workspace=2"), true).size());
    }

    @Test
    void stopsGracefullyAndKillsWhatIgnoresSigtermAfterTheTimeout() throws Exception {
        String graceful = detached(List.of("sh", "-c", "trap 'exit 0' TERM; while :; do sleep 0.1; done"));
        String stubborn = detached(List.of("sleep", "3600"));
        long start = System.nanoTime();
        StopReport r = docker.stop(List.of(graceful, stubborn), Duration.ofSeconds(2), true);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(List.of(graceful), r.stopped());
        assertEquals(List.of(stubborn), r.forced());
        assertTrue(r.complete());
        assertEquals(Optional.of(0L), docker.inspect(graceful, "State.ExitCode"));
        assertEquals(Optional.of(137L), docker.inspect(stubborn, ".State.ExitCode"));
        assertTrue(took.compareTo(Duration.ofSeconds(2)) >= 0 && took.compareTo(Duration.ofSeconds(10)) < 0, took.toString());
    }

    @Test
    void withoutForceAfterAContainerIgnoringSigtermIsLeftRunning() throws Exception {
        String stubborn = detached(List.of("sleep", "3600"));
        StopReport r = docker.stop(List.of(stubborn), Duration.ofMillis(500), false);
        assertEquals(List.of(stubborn), r.stillRunning());
        assertFalse(r.complete());
        assertEquals(Optional.of(true), docker.inspect(stubborn, "{{.State.Running}}"));
    }

    @Test
    void runsAContainerAndReturnsItsExitCodeAndOutputThenRemovesIt() throws Exception {
        ContainerSpec spec = new ContainerSpec(IMAGE, List.of("sh", "-c", "id; echo oops >&2; exit 3"), Optional.empty(),
                Map.of("opsctl-test", "run"), Optional.of("none"), Optional.empty(), true, false, Duration.ofSeconds(30), 1024);
        ContainerRun r = docker.run(spec);
        assertEquals(Optional.of(3), r.exitCode());
        assertTrue(r.output().contains("uid=1000(appuser)"), r.output());
        assertTrue(r.output().contains("oops"), r.output());
        assertEquals(List.of(), docker.list(List.of("opsctl-test"), true), "removed after the run");
    }

    @Test
    void aRunOutlivingItsTimeoutIsKilledAndReported() throws Exception {
        ContainerSpec spec = new ContainerSpec(IMAGE, List.of("sh", "-c", "echo started; sleep 60"), Optional.of("root"),
                Map.of("opsctl-test", "slow"), Optional.of("none"), Optional.empty(), true, false, Duration.ofSeconds(1), 1024);
        ContainerRun r = docker.run(spec);
        assertTrue(r.timedOut());
        assertEquals(Optional.empty(), r.exitCode());
        assertTrue(r.output().contains("started"), r.output());
        assertEquals(List.of(), docker.list(List.of("opsctl-test"), true));
    }

    @Test
    void aMissingImageIsARemoteFailureNamingIt() {
        TargetException e = assertThrows(TargetException.class, () -> docker.run(ContainerSpec.of("no-such-image:1", List.of("true"))));
        assertEquals(TargetException.Kind.REMOTE_FAILED, e.kind());
        assertTrue(e.getMessage().contains("no such image") && e.getMessage().contains("no-such-image:1"), e.getMessage());
    }

    @Test
    void inspectsFieldsByDockersOwnPathsAndExecsInARunningContainer() throws Exception {
        String id = detached(List.of("sleep", "3600"));
        Object pid = docker.inspect(id, "State.Pid").orElseThrow();
        assertTrue(pid instanceof Long p && p > 1, String.valueOf(pid));
        assertEquals(Optional.of("none"), docker.inspect(id, "HostConfig.NetworkMode"));
        assertEquals(Optional.of(""), docker.inspect(id, ".HostConfig.UsernsMode"));
        assertEquals(Optional.empty(), docker.inspect(id, "State.NoSuchField"));
        CommandResult c = docker.exec(id, List.of("sh", "-c", "id -u; echo err >&2; exit 4"), Duration.ofSeconds(10));
        assertEquals(4, c.exitCode());
        assertEquals("1000\n", c.stdout());
        assertEquals("err\n", c.stderr());
    }

    @Test
    void aMissingContainerIsARemoteFailureNamingIt() {
        TargetException e = assertThrows(TargetException.class, () -> docker.inspect("nope", "State.Pid"));
        assertEquals(TargetException.Kind.REMOTE_FAILED, e.kind());
        assertEquals("docker on host 'opsctl-h61': no such container 'nope'", e.getMessage());
        TargetException s = assertThrows(TargetException.class, () -> docker.stop(List.of("nope"), Duration.ofSeconds(1), true));
        assertEquals(TargetException.Kind.REMOTE_FAILED, s.kind());
    }

    @Test
    void listsImagesAndKnowsWhichArePresent() throws Exception {
        assertTrue(docker.images().contains(IMAGE), docker.images().toString());
        assertTrue(docker.hasImage(IMAGE));
        assertFalse(docker.hasImage("no-such-image:1"));
    }

    @Test
    void aStoppedDaemonIsUnreachableWithAMessageNamingTheHost() throws Exception {
        TestHost h = HOSTS.host(62);
        try (TestHostTarget t = new TestHostTarget(HOSTS, h)) {
            DockerTarget d = DockerTargets.of(t);
            d.ping();
            HOSTS.exec(h, "systemctl stop docker").orFail();
            try {
                TargetException e = assertThrows(TargetException.class, d::info);
                assertEquals(TargetException.Kind.UNREACHABLE, e.kind());
                assertTrue(e.getMessage().startsWith("docker daemon on host 'opsctl-h62' is not answering"), e.getMessage());
                assertTrue(DockerTargets.daemonNotAnswering(e), "the daemon, not the host");
                assertTrue(e.unreachable());
            } finally {
                HOSTS.exec(h, "systemctl start docker").orFail();
            }
            d.ping();
        }
    }

    @Test
    void theFirstChangeAfterADaemonRestartIsAnsweredNotLostOnAConnectionTheOldDaemonClosed() throws Exception {
        TestHost h = HOSTS.host(62);
        try (TestHostTarget t = new TestHostTarget(HOSTS, h)) {
            DockerTarget d = DockerTargets.of(t);
            assertEquals("opsctl-h62", d.info().name());
            HOSTS.exec(h, "systemctl restart docker").orFail();
            // create and start are POSTs: a client that kept the old daemon's connections sent them into
            // a closed socket and reported the daemon 'not answering' (HttpClient repeats only GETs)
            String id = d.run(new ContainerSpec(IMAGE, List.of("sleep", "300"), Optional.empty(), Map.of("opsctl-test", "1"),
                    Optional.of("none"), Optional.empty(), false, true, Duration.ofSeconds(30), 1024)).id();
            assertEquals(1, d.stop(List.of(id), Duration.ofSeconds(1), true).forced().size());
        } finally {
            HOSTS.exec(h, "docker ps -aq --filter label=opsctl-test | xargs -r docker rm -f").orFail();
        }
    }

    private String detached(List<String> command) throws Exception {
        ContainerSpec spec = new ContainerSpec(IMAGE, command, Optional.empty(), Map.of("opsctl-test", "1"), Optional.of("none"),
                Optional.empty(), false, true, Duration.ofSeconds(30), 1024);
        return docker.run(spec).id();
    }
}
