package dev.opsctl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.execute.TargetProvider;
import dev.opsctl.testhost.DockerTestHosts;
import dev.opsctl.testhost.HostExec;
import dev.opsctl.testhost.TestHost;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incident playbooks against real failures on a test host (its own sshd, dockerd and network
 * namespace), reached over SSH: a stopped gateway service, a gateway whose port closed, an upstream
 * container that stopped, an upstream whose address changed, a container that exits at once and a
 * container whose data disk (a 1 MiB tmpfs) is full. The gateway is an nginx-like reverse proxy
 * (src/test/resources/incident/gw-proxy.py, run as the process 'gw-nginx' by a pidfile service
 * script 'gatewayctl') in front of a busybox httpd container on port 8081.
 * Each test checks the diagnosis, that a remedy ran only when confirmed, and the escalation rule.
 */
class IncidentPlaybooksIT {
    @RegisterExtension
    static final DockerTestHosts HOSTS = DockerTestHosts.numbered(81);

    private static final String NOT_RECOVERED_TAIL = "escalate to the development team (30 minutes without recovery)";

    @TempDir
    Path tmp;

    private TestHost host;
    private Path inventory;

    @BeforeAll
    static void installTheGateway() throws IOException {
        TestHost h = HOSTS.host(81);
        exec(h, "echo " + resource("gw-proxy.py") + " | base64 -d > /usr/local/lib/gw-proxy.py"
                + " && echo " + resource("gatewayctl") + " | base64 -d > /usr/local/sbin/gatewayctl"
                + " && chmod 755 /usr/local/sbin/gatewayctl && ln -sf /usr/bin/python3 /usr/local/sbin/gw-nginx"
                + " && mkdir -p /etc/gw-nginx");
    }

    @BeforeEach
    void healthyGatewayAndUpstream() throws IOException {
        host = HOSTS.host(81);
        exec(host, "gatewayctl stop; printf 'listen 8080;\\nlocation / {\\n    proxy_pass http://127.0.0.1:8081;\\n}\\n'"
                + " > /etc/gw-nginx/nginx.conf; rm -f /etc/gw-nginx/nginx.conf.bak.*; : > /var/log/gw-nginx/error.log 2>/dev/null;"
                + " docker rm -f upstream >/dev/null 2>&1; docker run -d --name upstream --network host workspace-base:latest"
                + " sh -c 'mkdir -p /tmp/www && echo upstream-ok > /tmp/www/index.html && exec httpd -f -p 8081 -h /tmp/www' >/dev/null"
                + " && for i in $(seq 50); do curl -sf -o /dev/null localhost:8081/ && break; sleep 0.1; done; gatewayctl start");
        assertEquals("200", exec(host, "curl -s -o /dev/null -w '%{http_code}' localhost:8080/").stdout(), "the gateway starts healthy");
        inventory = Files.writeString(tmp.resolve("inventory.yaml"), "apiVersion: opsctl/v1\nkind: Inventory\nhosts:\n  "
                + host.name() + ": {address: " + host.address() + ", port: " + host.sshPort() + ", user: " + host.user() + "}\n");
    }

    private IncidentRun.Result run(String playbook, List<String> params, String... confirms) throws Exception {
        List<String> all = new ArrayList<>(params);
        IncidentRun.Result r = IncidentRun.run(tmp.resolve("state-" + System.nanoTime()), playbook, Optional.of(inventory), targets(),
                all, List.of(confirms));
        assertEquals(ExitCodes.OK, r.code(), "a playbook that gathered its evidence ends ok, whatever it found\n" + r.describe());
        return r;
    }

    private static List<String> gateway(String... more) {
        List<String> p = new ArrayList<>(List.of("process=gw-nginx", "port=8080", "url=http://localhost:8080/",
                "error_log=/var/log/gw-nginx/error.log", "restart_cmd=gatewayctl restart", "reload_cmd=gatewayctl reload",
                "gateway_config=/etc/gw-nginx/nginx.conf", "config_test_cmd=gatewayctl configtest", "verify_tries=3",
                "probe_timeout=2s"));
        p.addAll(List.of(more));
        return p;
    }

    private static List<String> only(List<String> params, String... names) {
        return params.stream().filter(p -> List.of(names).contains(p.substring(0, p.indexOf('=')))).toList();
    }

    @Test
    void aStoppedGatewayIsDiagnosedLeftAloneUnconfirmedAndRestartedWhenConfirmed() throws Exception {
        exec(host, "gatewayctl stop");
        List<String> params = only(gateway("security_incident=true"), "process", "port", "url", "error_log", "restart_cmd",
                "verify_tries", "probe_timeout", "security_incident");

        IncidentRun.Result unconfirmed = run("gateway-not-responding", params);
        assertTrue(unconfirmed.said("warning", "likely cause: the gateway process is not running (no process named 'gw-nginx')"),
                unconfirmed.describe());
        assertEquals("skipped", unconfirmed.outcome("restart"));
        assertFalse(exec(host, "pgrep -x gw-nginx >/dev/null && echo up || echo down").stdout().contains("up"),
                "nothing was started without a yes");
        assertTrue(unconfirmed.notice("warning", "step 'restart-gateway' not confirmed").contains("rerun with '--confirm restart-gateway'"));
        assertTrue(unconfirmed.notice("error", "not recovered: the gateway does not respond").contains(NOT_RECOVERED_TAIL));
        assertTrue(unconfirmed.said("error", "security incident: escalate now to the security contact"), unconfirmed.describe());
        assertTrue(unconfirmed.journal().contains(NOT_RECOVERED_TAIL), "the journal keeps the escalation");

        IncidentRun.Result confirmed = run("gateway-not-responding", params.subList(0, params.size() - 1), "restart-gateway");
        assertEquals("changed", confirmed.outcome("restart"));
        assertTrue(confirmed.said("info", "recovered: 'http://localhost:8080/' answers HTTP 200"), confirmed.describe());
        assertFalse(confirmed.said("error", "not recovered"), confirmed.describe());
        assertTrue(confirmed.journal().contains("step 'restart-gateway' confirmed with --confirm restart-gateway by oncall"));
        assertEquals("200", exec(host, "curl -s -o /dev/null -w '%{http_code}' localhost:8080/").stdout());
    }

    @Test
    void aGatewayRunningWithItsPortClosedIsToldApartFromAStoppedOneAndRestarted() throws Exception {
        exec(host, "kill -USR1 $(cat /run/gw-nginx.pid); for i in $(seq 50); do [ -z \"$(ss -ltnH sport = :8080)\" ] && break; sleep 0.1; done");
        List<String> params = only(gateway(), "process", "port", "url", "error_log", "restart_cmd", "verify_tries", "probe_timeout");

        IncidentRun.Result r = run("gateway-not-responding", params, "restart-gateway");
        String cause = r.notice("warning", "likely cause: 'gw-nginx' is running (pid ");
        assertTrue(cause.contains("but nothing listens on port 8080"), cause);
        assertFalse(r.said("warning", "likely cause: the gateway process is not running"), r.describe());
        assertTrue(r.notice("warning", "the error log's last errors").contains("listening socket on port 8080 closed"), r.describe());
        assertEquals("changed", r.outcome("restart"));
        assertTrue(r.said("info", "recovered: 'http://localhost:8080/' answers HTTP 200"), r.describe());
    }

    @Test
    void a502FromAStoppedUpstreamContainerIsFixedByStartingItOnlyWhenConfirmed() throws Exception {
        exec(host, "docker stop -t 1 upstream >/dev/null");
        List<String> params = new ArrayList<>(only(gateway(), "process", "port", "url", "error_log", "reload_cmd", "gateway_config",
                "verify_tries", "probe_timeout"));
        params.add("container=upstream");

        IncidentRun.Result unconfirmed = run("upstream-502", params);
        String cause = unconfirmed.notice("warning", "likely cause: the upstream container 'upstream' is not running");
        assertTrue(cause.contains("state=exited"), cause);
        assertEquals("skipped", unconfirmed.outcome("start"));
        assertTrue(unconfirmed.notice("error", "not recovered: the gateway answers 502 Bad Gateway").contains("still gets HTTP 502"));

        IncidentRun.Result confirmed = run("upstream-502", params, "start-upstream");
        assertEquals("changed", confirmed.outcome("start"));
        assertTrue(confirmed.said("info", "recovered: 'http://localhost:8080/' answers HTTP 200"), confirmed.describe());
    }

    @Test
    void aChangedUpstreamAddressIsRewrittenWithABackupAndReloaded() throws Exception {
        exec(host, "sed -i 's#proxy_pass .*#proxy_pass http://10.231.0.250:8081;#' /etc/gw-nginx/nginx.conf && gatewayctl reload");
        List<String> params = only(gateway(), "process", "port", "url", "error_log", "reload_cmd", "gateway_config",
                "config_test_cmd", "verify_tries", "probe_timeout");

        IncidentRun.Result r = run("upstream-address-changed", params, "rewrite-upstream");
        String cause = r.notice("warning", "likely cause: the upstream address changed");
        assertTrue(cause.contains("'10.231.0.250'") && cause.contains("is now at '" + host.address() + "'"), cause);
        assertEquals("changed", r.outcome("backup-config"));
        assertTrue(r.said("info", "recovered: 'http://localhost:8080/' answers HTTP 200"), r.describe());
        assertTrue(exec(host, "cat /etc/gw-nginx/nginx.conf").stdout().contains("proxy_pass http://" + host.address() + ":8081;"));
        assertTrue(exec(host, "cat /etc/gw-nginx/nginx.conf.bak.*").stdout().contains("proxy_pass http://10.231.0.250:8081;"),
                "the previous configuration was kept");
    }

    @Test
    void aContainerThatExitsAtOnceIsReportedWithItsExitCodeAndLogAndRestartedOnlyWhenConfirmed() throws Exception {
        exec(host, "docker rm -f crashy >/dev/null 2>&1; docker run --name crashy workspace-base:latest"
                + " sh -c 'echo boom: cannot open /etc/app.conf >&2; exit 3' 2>/dev/null; true");
        List<String> params = List.of("container=crashy", "stay_up=1s");

        String startedBefore = startedAt("crashy");
        IncidentRun.Result unconfirmed = run("container-wont-start", params);
        String cause = unconfirmed.notice("warning", "likely cause: the application exits at start with exit code 3");
        assertTrue(cause.contains("boom: cannot open /etc/app.conf"), cause);
        assertEquals("skipped", unconfirmed.outcome("restart"));
        assertEquals(startedBefore, startedAt("crashy"), "not started again without a yes");
        assertTrue(unconfirmed.notice("error", "not recovered: the container does not start").contains(NOT_RECOVERED_TAIL));

        IncidentRun.Result confirmed = run("container-wont-start", params, "restart-container");
        assertEquals("changed", confirmed.outcome("restart"));
        assertFalse(startedAt("crashy").equals(startedBefore), "docker start ran");
        assertTrue(confirmed.notice("error", "not recovered: the container does not start ('crashy' is exited)")
                .contains(NOT_RECOVERED_TAIL), confirmed.describe());
    }

    @Test
    void aFullDataDiskIsNamedAsTheCauseAndEscalatedAtOnceAsPossibleDataLoss() throws Exception {
        exec(host, "mkdir -p /srv/appdata && (mountpoint -q /srv/appdata || mount -t tmpfs -o size=1m tmpfs /srv/appdata)"
                + " && (dd if=/dev/zero of=/srv/appdata/fill bs=64k 2>/dev/null; true)"
                + " && docker rm -f writer leftover >/dev/null 2>&1; docker create --name leftover workspace-base:latest true >/dev/null"
                + " && docker run --name writer -v /srv/appdata:/data workspace-base:latest sh -c 'echo started > /data/state && sleep 600'"
                + " 2>/dev/null; true");
        try {
            IncidentRun.Result r = run("container-wont-start", List.of("container=writer", "stay_up=1s"));
            String cause = r.notice("warning", "likely cause: disk full: /srv/appdata is 100% full");
            assertTrue(cause.contains("No space left on device"), cause);
            assertEquals("skipped", r.outcome("clean"), "nothing is removed without a yes");
            assertTrue(exec(host, "docker ps -a --format x --filter name=^leftover$ | wc -l").stdout().strip().equals("1"),
                    "the stopped container is still there");
            assertTrue(r.notice("warning", "step 'clean-docker' not confirmed").contains("'--confirm clean-docker'"), r.describe());
            assertTrue(r.said("error", "possible data loss: escalate now to the development team and the manager"), r.describe());
            assertTrue(r.notice("error", "not recovered: the container does not start").contains(NOT_RECOVERED_TAIL));
            assertTrue(r.journal().contains("possible data loss: escalate now to the development team and the manager"));
        } finally {
            exec(host, "docker rm -f writer leftover >/dev/null 2>&1; umount /srv/appdata; true");
        }
    }

    private String startedAt(String container) {
        return exec(host, "docker container inspect " + container + " | sed -n 's/^ *\"StartedAt\": \"\\(.*\\)\",$/\\1/p'").stdout();
    }

    private TargetProvider targets() {
        return dev.opsctl.testhost.TestHostTargets.over(host);
    }

    private static HostExec exec(TestHost h, String command) {
        HostExec r = HOSTS.exec(h, command);
        if (!r.ok()) {
            throw new AssertionError("on " + h.name() + ": " + command + "\n" + r.stderr());
        }
        return r;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = IncidentPlaybooksIT.class.getResourceAsStream("/incident/" + name)) {
            if (in == null) {
                throw new IOException("no test resource incident/" + name);
            }
            return Base64.getEncoder().encodeToString(in.readAllBytes());
        }
    }
}
