package dev.opsctl.testhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DockerTestHostsIT {

    @RegisterExtension
    static final DockerTestHosts HOSTS = DockerTestHosts.count(3);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void bringsThreeHostsUpQuickly() {
        assertEquals(3, HOSTS.hosts().size());
        assertEquals(List.of("10.231.0.11", "10.231.0.12", "10.231.0.13"),
                HOSTS.hosts().stream().map(TestHost::address).toList());
        System.err.println("3 test hosts up in " + HOSTS.startupTime().toMillis() + " ms");
        assertTrue(HOSTS.startupTime().compareTo(Duration.ofSeconds(60)) < 0, "took " + HOSTS.startupTime());
    }

    @Test
    void everyHostAnswersOverSshWithTheFixtureKeyAndKnownHosts() {
        for (TestHost h : HOSTS.hosts()) {
            HostExec r = HOSTS.ssh(h, "hostname; id -u; command -v systemctl").orFail();
            assertEquals(List.of(h.name(), "0", "/usr/local/sbin/systemctl"), r.stdout().lines().toList(), r.describe());
        }
    }

    @Test
    void everyHostHasItsOwnDockerDaemonBehindItsOwnSocket() {
        for (TestHost h : HOSTS.hosts()) {
            HostExec r = HOSTS.ssh(h, "docker info --format '{{.Name}} {{.DockerRootDir}}'").orFail();
            assertEquals(h.name() + " /var/lib/docker", r.stdout().trim(), r.describe());
        }
    }

    @Test
    void aDaemonJsonWrittenOnOneHostIsSeenNowhereElse() throws IOException {
        TestHost h1 = HOSTS.host(1);
        String realBefore = realFile("/etc/docker/daemon.json");
        HOSTS.exec(h1, "cp /etc/docker/daemon.json /tmp/daemon.json.keep"
                + " && echo '{\"opsctl-marker\": true}' > /tmp/new.json && mv /tmp/new.json /etc/docker/daemon.json")
                .orFail();
        try {
            assertTrue(HOSTS.exec(h1, "cat /etc/docker/daemon.json").orFail().stdout().contains("opsctl-marker"));
            for (int other : new int[] {2, 3}) {
                String seen = HOSTS.exec(HOSTS.host(other), "cat /etc/docker/daemon.json").orFail().stdout();
                assertFalse(seen.contains("opsctl-marker"), "host " + other + " sees host 1's daemon.json: " + seen);
                assertTrue(seen.contains("\"max-size\": \"10m\""), seen);
            }
            assertEquals(realBefore, realFile("/etc/docker/daemon.json"));
        } finally {
            HOSTS.exec(h1, "mv /tmp/daemon.json.keep /etc/docker/daemon.json").orFail();
        }
    }

    @Test
    void useraddInsideAHostLeavesTheRealPasswdUntouched() throws IOException {
        String passwd = Files.readString(Path.of("/etc/passwd"));
        String shadow = Files.readString(Path.of("/etc/shadow"));
        TestHost h1 = HOSTS.host(1);
        HOSTS.exec(h1, "id opsctl-probe >/dev/null 2>&1 || useradd -r -s /usr/sbin/nologin opsctl-probe").orFail();
        assertTrue(HOSTS.exec(h1, "id opsctl-probe").ok());
        assertFalse(HOSTS.exec(HOSTS.host(2), "id opsctl-probe").ok(), "host 2 sees host 1's user");
        assertEquals(passwd, Files.readString(Path.of("/etc/passwd")));
        assertEquals(shadow, Files.readString(Path.of("/etc/shadow")));
    }

    @Test
    void enablingUsernsRemapAndRestartingDockerShiftsContainerUids() throws IOException {
        TestHost h = HOSTS.host(1);
        String subuid = realFile("/etc/subuid");
        // The runbook's Step 3 and 4, as an operator would type them over SSH.
        HOSTS.ssh(h, "id dockremap >/dev/null 2>&1 || useradd -r -s /usr/sbin/nologin dockremap"
                + " && echo dockremap:100000:65536 > /tmp/subuid && cp /tmp/subuid /etc/subuid && cp /tmp/subuid /etc/subgid"
                + " && printf '%s' '{\"userns-remap\": \"default\", \"log-driver\": \"json-file\","
                + " \"log-opts\": {\"max-size\": \"10m\"}}' > /tmp/daemon.json"
                + " && cp /tmp/daemon.json /etc/docker/daemon.json && systemctl restart docker").orFail();

        HostExec info = HOSTS.ssh(h, "docker info --format '{{.SecurityOptions}} {{.DockerRootDir}}'").orFail();
        assertTrue(info.stdout().contains("name=userns"), info.describe());
        assertTrue(info.stdout().contains("/var/lib/docker/100000.100000"), info.describe());
        assertEquals("uid=1000(appuser) gid=1000(appuser) groups=1000(appuser)",
                HOSTS.ssh(h, "docker run --rm workspace-base:latest id").orFail().stdout().trim());
        HostExec map = HOSTS.ssh(h, "docker run -d --name userns-verify workspace-base:latest sleep 30 >/dev/null"
                + " && cat /proc/$(docker inspect --format '{{.State.Pid}}' userns-verify)/uid_map"
                + "; docker rm -f userns-verify >/dev/null").orFail();
        assertEquals(List.of("0", "100000", "65536"), List.of(map.stdout().trim().split("\\s+")), map.describe());
        assertEquals(subuid, realFile("/etc/subuid"));
    }

    @Test
    void anInjectedFaultMakesDockerRestartFailLikeSystemd() {
        TestHost h = HOSTS.host(2);
        HOSTS.failDockerStart(h);
        try {
            HostExec restart = HOSTS.ssh(h, "systemctl restart docker");
            assertEquals(1, restart.exitCode(), restart.describe());
            assertTrue(restart.stderr().contains("Job for docker.service failed"), restart.describe());
            assertEquals("failed", HOSTS.ssh(h, "systemctl is-active docker").stdout().trim());
            assertFalse(HOSTS.ssh(h, "docker info").ok());
        } finally {
            HOSTS.clearFaults(h);
        }
        HOSTS.ssh(h, "systemctl start docker && docker info >/dev/null").orFail();
        assertEquals("active", HOSTS.ssh(h, "systemctl is-active docker").stdout().trim());
    }

    @Test
    void anInvalidDaemonJsonMakesDockerRestartFail() {
        TestHost h = HOSTS.host(2);
        HOSTS.exec(h, "cp /etc/docker/daemon.json /tmp/daemon.json.keep && echo '{broken' > /etc/docker/daemon.json")
                .orFail();
        try {
            HostExec restart = HOSTS.ssh(h, "systemctl restart docker");
            assertEquals(1, restart.exitCode(), restart.describe());
            String journal = HOSTS.ssh(h, "journalctl -u docker -n 5").stdout();
            assertTrue(journal.contains("unable to configure the Docker daemon"), journal);
        } finally {
            HOSTS.exec(h, "mv /tmp/daemon.json.keep /etc/docker/daemon.json && systemctl start docker").orFail();
        }
    }

    @Test
    void theAppStandInAnswersHealthThen500WithTheFault() throws Exception {
        TestHost h = HOSTS.host(3);
        HttpResponse<String> ok = get(h.app("/health"));
        assertEquals(200, ok.statusCode(), ok.body());
        assertTrue(ok.body().contains("\"warm_pool_size\": 3"), ok.body());
        HOSTS.failHealth(h);
        try {
            assertEquals(500, get(h.app("/health")).statusCode());
            assertEquals("500", HOSTS.ssh(h, "curl -s -o /dev/null -w '%{http_code}' http://localhost:8000/health")
                    .stdout());
        } finally {
            HOSTS.clearFaults(h);
        }
        assertEquals(200, get(h.app("/health")).statusCode());
    }

    @Test
    void theAppStandInDrainsItsWorkspacesAndVerifiesANewOne() throws Exception {
        TestHost h = HOSTS.host(3);
        assertEquals(202, post(h.app("/api/admin/drain")).statusCode());
        awaitHealth(h, body -> body.contains("\"warm_pool_size\": 0"));
        assertEquals("0", HOSTS.exec(h, "docker ps --filter label=workspace -q | wc -l").stdout().trim());
        HttpResponse<String> verify = post(h.app("/api/test/workspace-verify"));
        assertEquals(200, verify.statusCode(), verify.body());
        HOSTS.ssh(h, "systemctl restart workspace-app").orFail();
        awaitHealth(h, body -> body.contains("\"warm_pool_size\": 3"));
    }

    @Test
    void theLoadBalancerStandInRecordsATimeline() {
        LoadBalancerStandIn lb = HOSTS.lb();
        lb.reset();
        HOSTS.hosts().forEach(h -> lb.register(h.name()));
        for (TestHost h : HOSTS.hosts()) {
            lb.drain(h.name()).orFail();
            assertEquals(Boolean.FALSE, lb.status().get(h.name()));
            lb.enable(h.name()).orFail();
        }
        assertEquals(1, lb.maxOutAtOnce());
        assertEquals(List.of("drain", "enable", "drain", "enable", "drain", "enable"),
                lb.timeline().stream().map(LbEvent::action).filter(a -> !a.equals("register")).toList());
        lb.drain("opsctl-h1").orFail();
        // lb-ctl also works from inside a host, as a runbook step might call it there.
        HOSTS.exec(HOSTS.host(2), lb.command() + " drain opsctl-h2").orFail();
        assertEquals(2, lb.maxOutAtOnce());
        assertEquals(List.of("opsctl-h1", "opsctl-h2"), lb.timeline().get(lb.timeline().size() - 1).out());
        assertFalse(lb.drain("no-such-host").ok());
    }

    @Test
    void downRemovesEveryTraceOfAHost() throws IOException {
        TestHostScript script = HOSTS.script();
        script.testhost(Duration.ofSeconds(120), "up", "9").orFail();
        assertTrue(Files.exists(Path.of("/run/netns/opsctl-h9")));
        script.testhost(Duration.ofSeconds(120), "down", "9").orFail();
        assertFalse(Files.exists(Path.of("/run/netns/opsctl-h9")));
        assertFalse(Files.exists(Path.of("/sys/class/net/veth-h9")));
        assertFalse(Files.exists(script.stateDir().resolve("h9")));
        assertFalse(Files.readString(Path.of("/proc/mounts")).contains("opsctl-h9"));
        assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("").contains("/h9")),
                "a process of host 9 survived");
    }

    private static String realFile(String path) throws IOException {
        Path p = Path.of(path);
        return Files.exists(p) ? Files.readString(p) : "<absent>";
    }

    private static void awaitHealth(TestHost h, Predicate<String> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = get(h.app("/health")).body();
            if (condition.test(last)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("host " + h.name() + ": /health never matched; last '" + last.trim() + "'");
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
