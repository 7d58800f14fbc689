package dev.opsctl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.engine.execute.TargetProvider;
import dev.opsctl.inventory.Host;
import dev.opsctl.target.Target;
import dev.opsctl.target.local.LocalTarget;
import dev.opsctl.testsupport.PrometheusServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * monitoring-down on the local host against a real Prometheus that scrapes one live and one dead
 * target, and against a Prometheus that is not there (a port where nothing listens) with a component
 * that does not run. The remedy ('restart the stack') is a command that leaves a marker.
 */
class MonitoringDownIT {
    @RegisterExtension
    static final PrometheusServer prometheus = new PrometheusServer().withDownTarget();

    private static final String NOT_RECOVERED = "not recovered: the monitoring stack is down";

    @TempDir
    Path tmp;

    private IncidentRun.Result run(List<String> params, String... confirms) throws Exception {
        TargetProvider local = new TargetProvider() {
            @Override
            public Target open(Host host) {
                return new LocalTarget(host.name());
            }

            @Override
            public Target controller(Host forHost) {
                return new LocalTarget("localhost");
            }
        };
        IncidentRun.Result r = IncidentRun.run(tmp.resolve("state-" + System.nanoTime()), "monitoring-down", Optional.empty(), local,
                params, List.of(confirms));
        assertEquals(0, r.code(), r.describe());
        return r;
    }

    @Test
    void aScrapeTargetThatIsDownIsNamedWhilePrometheusItselfRuns() throws Exception {
        prometheus.awaitValue("count(up{job=\"down\"} == 0)", v -> v == 1);
        Path marker = tmp.resolve("restarted");
        IncidentRun.Result r = run(List.of("components=prometheus", "prometheus_url=" + prometheus.url(),
                "restart_cmd=touch " + marker, "compose_dir=" + tmp));
        String cause = r.notice("warning", "likely cause: 1 scrape target(s) down: ");
        assertTrue(cause.contains("\"job\":\"down\"") && cause.contains("127.0.0.1:" + prometheus.downPort()), cause);
        assertFalse(r.said("warning", "likely cause: monitoring components are not running"), r.describe());
        assertEquals("skipped", r.outcome("restart-monitoring"), "restarting the stack does not bring a target's service back");
        assertFalse(Files.exists(marker));
        assertTrue(r.notice("error", NOT_RECOVERED).contains("escalate to the development team (30 minutes without recovery)"),
                r.describe());
    }

    @Test
    void aStackThatIsDownIsRestartedOnlyWhenConfirmed() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Path marker = tmp.resolve("restarted");
        List<String> params = List.of("components=opsctl-test-alertmanager", "prometheus_url=http://127.0.0.1:" + closed,
                "restart_cmd=touch " + marker, "compose_dir=" + tmp, "possible_data_loss=true");

        IncidentRun.Result unconfirmed = run(params);
        assertTrue(unconfirmed.notice("warning", "likely cause: monitoring components are not running")
                .contains("opsctl-test-alertmanager: not running"), unconfirmed.describe());
        assertTrue(unconfirmed.said("warning", "likely cause: Prometheus does not answer at 'http://127.0.0.1:" + closed + "'"),
                unconfirmed.describe());
        assertEquals("skipped", unconfirmed.outcome("restart"));
        assertFalse(Files.exists(marker), "the stack is not restarted without a yes");
        assertTrue(unconfirmed.notice("warning", "step 'restart-monitoring' not confirmed")
                .contains("rerun with '--confirm restart-monitoring' to confirm"));
        assertTrue(unconfirmed.said("error", "possible data loss: escalate now to the development team and the manager"));
        assertTrue(unconfirmed.said("error", NOT_RECOVERED), unconfirmed.describe());

        IncidentRun.Result confirmed = run(params, "restart-monitoring");
        assertEquals("changed", confirmed.outcome("restart"));
        assertTrue(Files.exists(marker), "the restart command ran in the stack's directory");
        assertTrue(confirmed.said("error", NOT_RECOVERED), "a stack that stays down is escalated\n" + confirmed.describe());
        assertTrue(confirmed.journal().contains("step 'restart-monitoring' confirmed with --confirm restart-monitoring by oncall"));
    }
}
