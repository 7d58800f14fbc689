package dev.opsctl.target.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.TargetException;
import dev.opsctl.target.container.CommandResult;
import dev.opsctl.target.container.ContainerRun;
import dev.opsctl.target.container.ContainerSpec;
import dev.opsctl.target.ssh.SshTarget;
import dev.opsctl.testhost.DockerTestHosts;
import dev.opsctl.testhost.TestHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** docker-java over the SSH target's socket bridge (direct-streamlocal to /var/run/docker.sock), against real sshd and dockerd. */
class DockerOverSshIT {
    @RegisterExtension
    static final DockerTestHosts HOSTS = DockerTestHosts.numbered(63, 64);

    private static final String IMAGE = "workspace-base:latest";
    /**
     * SIGHUP to sshd, then until it listens again with the new config (its log says so), 10 s at
     * most: a fixed sleep let a loaded machine's next login reach the old config.
     */
    private static final String RELOAD_SSHD = "log=/var/log/opsctl-test/sshd.log; n=$(grep -c 'Server listening' $log);"
            + " kill -HUP $(cat /run/sshd.pid) && for i in $(seq 100); do"
            + " [ $(grep -c 'Server listening' $log) -gt $n ] && exit 0; sleep 0.1; done; echo 'sshd did not reload' >&2; exit 1";

    @Test
    void reachesTheDaemonThroughAPrivateSocketThatIsRemovedOnClose() throws Exception {
        Path socket;
        try (SshTarget ssh = TestHostSsh.target(HOSTS.host(63))) {
            DockerTarget docker = DockerTargets.of(ssh);
            assertEquals("opsctl-h63", docker.info().name());
            socket = ssh.forward(DockerDaemon.DEFAULT_SOCKET);
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
            assertEquals(socket, ssh.forward("/var/run/docker.sock"), "one bridge per remote path");
            assertTrue(Files.exists(socket));
        }
        assertFalse(Files.exists(socket));
        assertFalse(Files.exists(socket.getParent()));
    }

    @Test
    void manyConcurrentRequestsAllSucceed() throws Exception {
        try (SshTarget ssh = TestHostSsh.target(HOSTS.host(63))) {
            DockerTarget docker = DockerTargets.of(ssh);
            ExecutorService pool = Executors.newFixedThreadPool(24);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    int n = i;
                    results.add(pool.submit(() -> n % 2 == 0 ? docker.list(List.of("workspace"), false).size()
                            : (int) docker.info().containersRunning()));
                }
                for (Future<Integer> f : results) {
                    assertEquals(3, f.get());
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void attachedRunsAndExecsCarryTheirOutputThroughTheBridge() throws Exception {
        try (SshTarget ssh = TestHostSsh.target(HOSTS.host(63))) {
            DockerTarget docker = DockerTargets.of(ssh);
            for (int attempt = 0; attempt < 5; attempt++) {
                ContainerRun r = docker.run(new ContainerSpec(IMAGE, List.of("sh", "-c", "id; seq 1 20000; echo done >&2"),
                        Optional.empty(), Map.of("opsctl-test", "ssh"), Optional.of("none"), Optional.empty(), true, false,
                        Duration.ofSeconds(60), 1024 * 1024));
                assertEquals(Optional.of(0), r.exitCode());
                assertTrue(r.output().contains("uid=1000(appuser)"), r.output().substring(0, 80));
                // The output interleaves stdout and stderr as dockerd forwards them, from two pipes read
                // by two copiers: the stderr line can land between two chunks of stdout, even mid-line
                // ("...1999" "done\n" "9\n20000\n"). Take it out once, then stdout must be whole.
                String output = r.output();
                assertEquals(1, output.split("done\n", -1).length - 1, () -> "stderr arrives too, once: " + output.length()
                        + " bytes, " + output.lines().filter(l -> l.matches("\\d+")).count() + " number lines, around each 'done': "
                        + java.util.regex.Pattern.compile("done\n").matcher(output).results()
                                .map(m -> output.substring(Math.max(0, m.start() - 30), Math.min(output.length(), m.end() + 30)))
                                .toList());
                String stdout = r.output().replace("done\n", "");
                assertEquals(20000, stdout.lines().filter(l -> l.matches("\\d+")).count(), "every line arrives");
                assertTrue(stdout.endsWith("19999\n20000\n"), stdout.substring(stdout.length() - 40));
            }
            String id = docker.run(new ContainerSpec(IMAGE, List.of("sleep", "300"), Optional.empty(),
                    Map.of("opsctl-test", "ssh"), Optional.of("none"), Optional.empty(), false, true, Duration.ofSeconds(30), 1024)).id();
            CommandResult c = docker.exec(id, List.of("cat", "/etc/passwd"), Duration.ofSeconds(10));
            assertEquals(0, c.exitCode());
            assertTrue(c.stdout().contains("appuser:x:1000"), c.stdout());
            assertEquals(1, docker.stop(List.of(id), Duration.ofSeconds(1), true).forced().size());
        } finally {
            HOSTS.exec(HOSTS.host(63), "docker ps -aq --filter label=opsctl-test | xargs -r docker rm -f").orFail();
        }
    }

    @Test
    void aStoppedDaemonBehindTheBridgeIsUnreachableNotAHang() throws Exception {
        TestHost h = HOSTS.host(64);
        try (SshTarget ssh = TestHostSsh.target(h)) {
            DockerTarget docker = DockerTargets.of(ssh);
            docker.ping();
            HOSTS.exec(h, "systemctl stop docker").orFail();
            try {
                long start = System.nanoTime();
                TargetException e = assertThrows(TargetException.class, docker::info);
                assertEquals(TargetException.Kind.UNREACHABLE, e.kind(), e.getMessage());
                assertTrue(e.getMessage().startsWith("docker daemon on host 'opsctl-h64' is not answering"), e.getMessage());
                // why, from the host: not the client's placeholder 'localhost:2375 failed to respond'
                assertTrue(e.getMessage().contains("sshd could not connect to '/var/run/docker.sock'"), e.getMessage());
                assertTrue(e.getMessage().contains("and 'docker system dial-stdio' said: ")
                        && e.getMessage().contains("/var/run/docker.sock: connect: no such file or directory"), e.getMessage());
                assertFalse(e.getMessage().contains("2375"), e.getMessage());
                assertTrue(DockerTargets.daemonNotAnswering(e), "the daemon, not the host");
                assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 15);
            } finally {
                HOSTS.exec(h, "systemctl start docker").orFail();
            }
            docker.ping();
            assertEquals("opsctl-h64", docker.info().name());
        }
    }

    @Test
    void theFirstChangeAfterADaemonRestartGoesThroughTheBridgeOnAFreshChannel() throws Exception {
        TestHost h = HOSTS.host(64);
        try (SshTarget ssh = TestHostSsh.target(h)) {
            DockerTarget docker = DockerTargets.of(ssh);
            assertEquals("opsctl-h64", docker.info().name());
            HOSTS.exec(h, "systemctl restart docker").orFail();
            ContainerRun r = docker.run(new ContainerSpec(IMAGE, List.of("echo", "after the restart"), Optional.empty(),
                    Map.of("opsctl-test", "ssh"), Optional.of("none"), Optional.empty(), true, false, Duration.ofSeconds(30), 1024));
            assertEquals("after the restart\n", r.output());
        } finally {
            HOSTS.exec(h, "docker ps -aq --filter label=opsctl-test | xargs -r docker rm -f").orFail();
        }
    }

    @Test
    void fallsBackToDialStdioWhereStreamLocalForwardingIsForbidden() throws Exception {
        TestHost h = HOSTS.host(64);
        String config = "/etc/ssh/sshd_config";
        HOSTS.exec(h, "cp " + config + " /tmp/sshd_config.keep && sed -i 's/^AllowStreamLocalForwarding yes/AllowStreamLocalForwarding no/' "
                + config + " && " + RELOAD_SSHD).orFail();
        try (SshTarget ssh = TestHostSsh.target(h)) {
            DockerTarget docker = DockerTargets.of(ssh);
            assertEquals("opsctl-h64", docker.info().name());
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<ContainerRun> run = pool.submit(() -> docker.run(new ContainerSpec(IMAGE,
                        List.of("sh", "-c", "sleep 2; echo through dial-stdio"), Optional.empty(), Map.of("opsctl-test", "dial"),
                        Optional.of("none"), Optional.empty(), true, false, Duration.ofSeconds(30), 1024)));
                // Watched for as long as the run lasts (its container sleeps 2 s while attached): a
                // loaded machine may take seconds to create it, and a run that failed is its own error
                boolean seen = false;
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!seen && !run.isDone() && System.nanoTime() - deadline < 0) {
                    seen = HOSTS.exec(h, "pgrep -f 'docker system dial-stdio'").ok();
                    Thread.sleep(50);
                }
                ContainerRun r = run.get(60, TimeUnit.SECONDS);
                assertEquals("through dial-stdio\n", r.output());
                assertTrue(seen, "the attached run's connections go through dial-stdio");
            } finally {
                pool.shutdownNow();
            }
        } finally {
            HOSTS.exec(h, "cp /tmp/sshd_config.keep " + config + " && " + RELOAD_SSHD).orFail();
        }
    }
}
