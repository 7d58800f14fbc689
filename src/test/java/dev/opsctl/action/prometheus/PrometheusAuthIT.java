package dev.opsctl.action.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.opsctl.action.FakeStepContext;
import dev.opsctl.action.ParseFixture;
import dev.opsctl.action.StepResult;
import dev.opsctl.target.local.LocalTarget;
import dev.opsctl.testsupport.PrometheusServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A Prometheus behind basic auth ({@code --web.config.file}): the right secret works, a wrong one is refused and never shown. */
class PrometheusAuthIT {
    @RegisterExtension
    static final PrometheusServer prometheus = new PrometheusServer().withBasicAuth();

    @TempDir
    Path tmp;

    private final PrometheusActionType type = new PrometheusActionType();

    private StepResult run(String password) throws InterruptedException {
        FakeStepContext ctx = new FakeStepContext(new LocalTarget("web-1"), tmp).set("prometheus_url", prometheus.url().toString())
                .withSecret("prom_password", password);
        PrometheusSpec spec = new ParseFixture(tmp).parseClean(type,
                "prometheus: {query: 'up{job=\"test\"}', expect: 'value == 1', basic_auth: {username: opsctl, password: '{{ prom_password }}'}}\n");
        return type.execute(spec, ctx);
    }

    @Test
    void theRightPasswordIsAccepted() throws Exception {
        StepResult r = run(PrometheusServer.PASSWORD);
        assertEquals(StepResult.Outcome.OK, r.outcome(), r.message());
    }

    @Test
    void aWrongPasswordIsRefusedWithoutShowingIt() throws Exception {
        StepResult r = run("wrong-password-42");
        assertEquals(StepResult.Outcome.FAILED, r.outcome());
        assertEquals("prometheus '" + prometheus.url() + "' refused the credentials (401): check 'basic_auth' or 'bearer_token'", r.message());
        assertFalse(r.toString().contains("wrong-password-42"));
    }
}
