package dev.opsctl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.fakes.RecordingSink;
import dev.opsctl.event.RunEvent;
import dev.opsctl.testsupport.PrometheusServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sustained trigger against a real Prometheus (userns-remap 6.2: "container start P95 > 30 s for
 * 5 minutes", here for seconds): it fires only after the scraped value held for the whole window,
 * during a monitor step, and the host is rolled back; a value under the threshold never fires.
 */
class PrometheusTriggerIT {
    @RegisterExtension
    static final PrometheusServer PROMETHEUS = new PrometheusServer();

    @TempDir
    Path tmp;

    private Path runbook() throws Exception {
        return runbook("query: container_start_p95_seconds");
    }

    /** {@code query} is the probe's query and anything after it ({@code query: q, on_empty: fail}). */
    private Path runbook(String query) throws Exception {
        return Files.writeString(tmp.resolve("watch.yaml"), """
                apiVersion: opsctl/v1
                kind: Runbook
                metadata: {name: watch}
                params:
                  prometheus_url: {type: string}
                  dir: {type: string}
                triggers:
                  - name: start-latency
                    probe:
                      prometheus: {url: "{{ prometheus_url }}", %s}
                    when: "value > 30"
                    for: 4s
                    interval: 1s
                    then: rollback
                steps:
                  - id: deploy
                    shell: touch {{ dir }}/deployed
                  - id: watch
                    monitor: {duration: 12s, interval: 1s}
                rollback:
                  - id: undo
                    shell: rm -f {{ dir }}/deployed && touch {{ dir }}/rolled-back
                """.formatted(query));
    }

    private int run(RecordingSink events) throws Exception {
        return run(events, runbook());
    }

    private int run(RecordingSink events, Path runbook) throws Exception {
        Env env = Env.from(Map.of("USER", "ops", "HOME", tmp.toString()), Optional.of(tmp.resolve("state")), Optional.empty(), false,
                Clock.systemUTC());
        return Services.standard(env, Prompter.NON_INTERACTIVE).runs().run(RunRequest.of(runbook)
                .withExtraVars(List.of("prometheus_url=" + PROMETHEUS.url(), "dir=" + tmp)), events);
    }

    @Test
    void aValueOverTheThresholdForTheWholeWindowRollsTheHostBack() throws Exception {
        PROMETHEUS.exporter().setGauge("container_start_p95_seconds", 35);
        PROMETHEUS.awaitValue("container_start_p95_seconds", v -> v == 35);
        RecordingSink events = new RecordingSink();
        long t0 = System.nanoTime();
        int code = run(events);
        assertEquals(ExitCodes.ROLLED_BACK, code, events.all().toString());
        RunEvent.TriggerFired fired = events.of(RunEvent.TriggerFired.class).get(0);
        assertEquals("start-latency", fired.trigger());
        assertTrue(fired.evidence().contains("for 4s"), fired.evidence());
        assertTrue(System.nanoTime() - t0 >= 4_000_000_000L, "not before the window was over");
        assertTrue(Files.exists(tmp.resolve("rolled-back")));
        assertFalse(Files.exists(tmp.resolve("deployed")));
    }

    @Test
    void aValueUnderTheThresholdNeverFires() throws Exception {
        PROMETHEUS.exporter().setGauge("container_start_p95_seconds", 12);
        PROMETHEUS.awaitValue("container_start_p95_seconds", v -> v == 12);
        RecordingSink events = new RecordingSink();
        assertEquals(ExitCodes.OK, run(events), events.all().toString());
        assertTrue(events.of(RunEvent.TriggerFired.class).isEmpty());
        assertTrue(Files.exists(tmp.resolve("deployed")));
    }

    @Test
    void aQueryWithNoSeriesUnderOnEmptyFailCountsAsTheTriggerHoldingNotAsNaNComparingFalse() throws Exception {
        RecordingSink events = new RecordingSink();
        int code = run(events, runbook("query: opsctl_never_exported_seconds, on_empty: fail"));
        assertEquals(ExitCodes.ROLLED_BACK, code, events.all().toString());
        assertEquals("the probe failed (prometheus query 'opsctl_never_exported_seconds' returned no series (on_empty: fail)), so"
                + " 'value > 30' counts as holding (for 4s)", events.of(RunEvent.TriggerFired.class).get(0).evidence());
        assertTrue(Files.exists(tmp.resolve("rolled-back")));
    }
}
