package dev.opsctl.engine.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.StepResult;
import dev.opsctl.engine.fakes.FakeClock;
import dev.opsctl.engine.fakes.TestSteps;
import dev.opsctl.engine.fakes.TestTriggers;
import dev.opsctl.runbook.model.Step;
import dev.opsctl.runbook.model.Trigger;
import dev.opsctl.runbook.model.TriggerAction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TriggerEvaluatorTest {
    private final FakeClock clock = new FakeClock();
    private final AtomicLong value = new AtomicLong();
    private final List<String> probed = new ArrayList<>();
    private final ProbeRunner probes = (probe, timeout) -> {
        probed.add(clock.instant().toString());
        return StepResult.ok("", Map.of("value", value.get()));
    };
    private final Step step = TestSteps.ok("deploy").build();
    private final StepResult ok = StepResult.ok("", Map.of());

    private Trigger latency(Optional<Duration> forDuration, int failureLimit) {
        return TestTriggers.probe("start-latency", (ctx, call) -> StepResult.ok("", Map.of()), "value > 30", forDuration,
                Duration.ofSeconds(10), failureLimit, TriggerAction.ASK);
    }

    private TriggerVerdict sampleAfter(TriggerEvaluator e, Duration advance) throws InterruptedException {
        clock.advance(advance);
        return e.afterStep("web1", step, ok, Map.of(), probes);
    }

    @Test
    void forFiresOnlyAfterTheConditionHeldForTheWholeWindow() throws Exception {
        TriggerEvaluator e = new TriggerEvaluator(List.of(latency(Optional.of(Duration.ofMinutes(5)), 1)), clock);
        value.set(45);
        assertInstanceOf(TriggerVerdict.Ok.class, sampleAfter(e, Duration.ZERO), "pending at first");
        TriggerVerdict.Ok pending = (TriggerVerdict.Ok) sampleAfter(e, Duration.ofMinutes(4).plusSeconds(59));
        assertEquals(List.of("trigger 'start-latency' pending on host 'web1': 'value > 30' holds: value=45; held for 4m59s of 5m"),
                pending.notes(), "the window is what it waits for: no count of samples against a limit of 1");
        TriggerVerdict.Fire f = assertInstanceOf(TriggerVerdict.Fire.class, sampleAfter(e, Duration.ofSeconds(1)));
        assertEquals("start-latency", f.trigger().name());
        assertEquals(45L, f.values().get("value"));
        assertTrue(f.evidence().contains("value=45") && f.evidence().contains("for 5m"), f.evidence());
    }

    @Test
    void aTriggerArmedAfterAStepIsNotSampledBeforeThatStepFinished() throws Exception {
        Trigger t = latency(Optional.empty(), 1);
        Trigger armed = new Trigger(t.name(), t.onStep(), t.probe(), t.when(), t.forDuration(), t.interval(), t.failureLimit(),
                TriggerAction.ROLLBACK, Optional.empty(), TriggerAction.ROLLBACK, Optional.of("restart-app"), t.pos());
        TriggerEvaluator e = new TriggerEvaluator(List.of(armed), clock);
        value.set(45);
        Map<String, Object> before = Map.of("steps", Map.of("restart-docker", Map.of()));
        assertInstanceOf(TriggerVerdict.Ok.class, e.afterStep("web1", step, ok, before, probes));
        assertTrue(probed.isEmpty(), "not even probed while the service is down on purpose");
        Map<String, Object> after = Map.of("steps", Map.of("restart-docker", Map.of(), "restart-app", Map.of()));
        assertInstanceOf(TriggerVerdict.Fire.class, e.afterStep("web1", step, ok, after, probes));
    }

    @Test
    void aSampleOnWhichTheConditionClearsResetsTheWindow() throws Exception {
        TriggerEvaluator e = new TriggerEvaluator(List.of(latency(Optional.of(Duration.ofMinutes(5)), 1)), clock);
        value.set(45);
        sampleAfter(e, Duration.ZERO);
        sampleAfter(e, Duration.ofMinutes(3));
        value.set(10);
        assertInstanceOf(TriggerVerdict.Ok.class, sampleAfter(e, Duration.ofMinutes(1)));
        value.set(45);
        assertInstanceOf(TriggerVerdict.Ok.class, sampleAfter(e, Duration.ofMinutes(1)), "pending again from here");
        assertInstanceOf(TriggerVerdict.Ok.class, sampleAfter(e, Duration.ofMinutes(4)), "held 4m since the reset, not 9m");
        assertInstanceOf(TriggerVerdict.Fire.class, sampleAfter(e, Duration.ofMinutes(1)));
    }

    @Test
    void failureLimitNeedsThatManyFailingSamplesInARow() throws Exception {
        TriggerEvaluator e = new TriggerEvaluator(List.of(latency(Optional.empty(), 3)), clock);
        value.set(45);
        TriggerVerdict.Ok first = (TriggerVerdict.Ok) sampleAfter(e, Duration.ofSeconds(10));
        assertEquals(List.of("trigger 'start-latency' pending on host 'web1': 'value > 30' holds: value=45; 1 of 3 samples in a row"),
                first.notes());
        sampleAfter(e, Duration.ofSeconds(10));
        value.set(1);
        sampleAfter(e, Duration.ofSeconds(10));
        value.set(45);
        assertInstanceOf(TriggerVerdict.Ok.class, sampleAfter(e, Duration.ofSeconds(10)));
        assertInstanceOf(TriggerVerdict.Ok.class, sampleAfter(e, Duration.ofSeconds(10)));
        assertInstanceOf(TriggerVerdict.Fire.class, sampleAfter(e, Duration.ofSeconds(10)), "third in a row");
        assertInstanceOf(TriggerVerdict.Ok.class, sampleAfter(e, Duration.ofSeconds(10)), "firing resets the count");
    }

    @Test
    void aTriggerWithAWindowAndALimitSaysWhatItStillWaitsFor() throws Exception {
        TriggerEvaluator e = new TriggerEvaluator(List.of(latency(Optional.of(Duration.ofMinutes(1)), 2)), clock);
        value.set(45);
        assertEquals(List.of("trigger 'start-latency' pending on host 'web1': 'value > 30' holds: value=45; held for 0s of 1m, 1 of 2 samples in a row"),
                ((TriggerVerdict.Ok) sampleAfter(e, Duration.ZERO)).notes());
        assertEquals(List.of("trigger 'start-latency' pending on host 'web1': 'value > 30' holds: value=45; held for 30s of 1m"),
                ((TriggerVerdict.Ok) sampleAfter(e, Duration.ofSeconds(30))).notes(), "enough samples: only the window is left");
        assertInstanceOf(TriggerVerdict.Fire.class, sampleAfter(e, Duration.ofSeconds(30)));
    }

    @Test
    void aWindowAlreadyHeldIsNotListedAmongWhatItStillWaitsFor() throws Exception {
        TriggerEvaluator e = new TriggerEvaluator(List.of(latency(Optional.of(Duration.ofSeconds(30)), 3)), clock);
        value.set(45);
        sampleAfter(e, Duration.ZERO);
        assertEquals(List.of("trigger 'start-latency' pending on host 'web1': 'value > 30' holds: value=45; 2 of 3 samples in a row"),
                ((TriggerVerdict.Ok) sampleAfter(e, Duration.ofMinutes(1))).notes(), "held 1m of a 30s window: only the samples are left");
        assertInstanceOf(TriggerVerdict.Fire.class, sampleAfter(e, Duration.ofMinutes(1)));
    }

    @Test
    void stateIsKeptPerHost() throws Exception {
        TriggerEvaluator e = new TriggerEvaluator(List.of(latency(Optional.empty(), 2)), clock);
        value.set(45);
        e.afterStep("web1", step, ok, Map.of(), probes);
        assertInstanceOf(TriggerVerdict.Ok.class, e.afterStep("web2", step, ok, Map.of(), probes), "web2's first sample");
        assertInstanceOf(TriggerVerdict.Fire.class, e.afterStep("web1", step, ok, Map.of(), probes), "web1's second sample");
    }

    @Test
    void whileWatchingSamplesAProbeOnlyWhenItsOwnIntervalPassed() throws Exception {
        TriggerEvaluator e = new TriggerEvaluator(List.of(TestTriggers.probe("t", (c, n) -> ok, "value > 30", Optional.empty(),
                Duration.ofSeconds(30), 5, TriggerAction.ROLLBACK)), clock);
        for (int i = 0; i < 7; i++) {
            e.whileWatching("web1", Map.of(), probes);
            clock.advance(Duration.ofSeconds(10));
        }
        assertEquals(3, probed.size(), "at 0s, 30s and 60s: " + probed);
    }

    @Test
    void stepFailureTriggersMatchTheStepAndTheClassButNotIgnoredFailures() throws Exception {
        Trigger timeoutOnly = TestTriggers.onStep("t", Optional.of("deploy"), Optional.of("timeout"), TriggerAction.ROLLBACK);
        TriggerEvaluator e = new TriggerEvaluator(List.of(timeoutOnly), clock);
        StepResult exit1 = StepResult.failed("exit 1", Map.of());
        StepResult timedOut = exit1.withOutcome(StepResult.Outcome.TIMED_OUT, "timed out after 2m");
        assertInstanceOf(TriggerVerdict.Ok.class, e.afterStep("web1", step, exit1, Map.of(), probes), "exit is not timeout");
        TriggerVerdict.Fire f = assertInstanceOf(TriggerVerdict.Fire.class, e.afterStep("web1", step, timedOut, Map.of(), probes));
        assertEquals("timeout", f.values().get("class"));
        Step other = TestSteps.ok("other").build();
        assertInstanceOf(TriggerVerdict.Ok.class, e.afterStep("web1", other, timedOut, Map.of(), probes), "another step");
        Step ignored = TestSteps.ok("deploy").ignoreErrors().build();
        assertInstanceOf(TriggerVerdict.Ok.class, e.afterStep("web1", ignored, timedOut, Map.of(), probes), "ignore_errors");
        TriggerEvaluator any = new TriggerEvaluator(List.of(TestTriggers.onStep("any", Optional.empty(), Optional.empty(),
                TriggerAction.HALT)), clock);
        assertInstanceOf(TriggerVerdict.Fire.class, any.afterStep("web1", other, exit1, Map.of(), probes));
        assertInstanceOf(TriggerVerdict.Ok.class, any.afterStep("web1", other, ok, Map.of(), probes));
    }

    @Test
    void aProbeThatFailsCountsAsHoldingButAnAnswerThatCannotBeJudgedIsOnlyNoted() throws Exception {
        Trigger health = TestTriggers.probe("health", (c, n) -> ok, "status >= 500", Optional.empty(), Duration.ofSeconds(10), 1,
                TriggerAction.ROLLBACK);
        TriggerEvaluator e = new TriggerEvaluator(List.of(health), clock);
        ProbeRunner refused = (p, t) -> StepResult.failed("GET http://web1:8000/health failed: connection refused", Map.of());
        TriggerVerdict.Fire f = assertInstanceOf(TriggerVerdict.Fire.class, e.afterStep("web1", step, ok, Map.of(), refused));
        assertTrue(f.evidence().contains("connection refused"), f.evidence());
        ProbeRunner noStatus = (p, t) -> StepResult.ok("", Map.of("value", 1L));
        TriggerVerdict.Ok o = assertInstanceOf(TriggerVerdict.Ok.class, e.afterStep("web1", step, ok, Map.of(), noStatus));
        assertTrue(o.notes().get(0).contains("cannot evaluate 'status >= 500'"), o.notes().toString());
    }

    @Test
    void aProbeWhoseTargetGaveNoAnswerCouldNotCheckAndIsNotJudgedByItsPlaceholderOutput() throws Exception {
        Trigger t = TestTriggers.probe("app-unhealthy", (c, n) -> ok, "stdout contains 'unhealthy'", Optional.empty(),
                Duration.ofSeconds(10), 1, TriggerAction.ROLLBACK);
        TriggerEvaluator e = new TriggerEvaluator(List.of(t), clock);
        for (dev.opsctl.target.TargetException failed : List.of(
                dev.opsctl.target.docker.DockerTargets.daemonNotAnswering("web1", "exec in container 'app'",
                        new java.io.IOException("connection refused")),
                dev.opsctl.target.TargetException.remoteFailed("web1", "docker on host 'web1': exec in container 'app' failed"
                        + " (conflict): container is not running"))) {
            // an empty stdout, rc 1: 'stdout contains' would read as healthy
            ProbeRunner noAnswer = (p, timeout) -> StepResult.targetFailure(failed, failed.getMessage(), Duration.ZERO);
            TriggerVerdict.Fire f = assertInstanceOf(TriggerVerdict.Fire.class, e.afterStep("web1", step, ok, Map.of(), noAnswer),
                    failed.getMessage());
            assertEquals("could not check (" + failed.getMessage() + "), so 'stdout contains 'unhealthy'' counts as holding",
                    f.evidence());
        }
        ProbeRunner refused = (p, timeout) -> StepResult.failed("GET http://web1:8000/health failed: connection refused", Map.of())
                .withTargetFailed();
        Trigger guarded = TestTriggers.probe("health", (c, n) -> ok, "default(status, 200) >= 500", Optional.empty(),
                Duration.ofSeconds(10), 1, TriggerAction.ROLLBACK);
        TriggerVerdict.Fire f = assertInstanceOf(TriggerVerdict.Fire.class,
                new TriggerEvaluator(List.of(guarded), clock).afterStep("web1", step, ok, Map.of(), refused));
        assertTrue(f.evidence().startsWith("could not check (GET http://web1:8000/health failed: connection refused)"), f.evidence());
    }

    @Test
    void theConditionSeesTheHostsVariablesBehindTheProbesFields() throws Exception {
        Trigger t = TestTriggers.probe("slow", (c, n) -> ok, "value > vars.limit", Optional.empty(), Duration.ofSeconds(10), 1,
                TriggerAction.ROLLBACK);
        TriggerEvaluator e = new TriggerEvaluator(List.of(t), clock);
        value.set(20);
        assertInstanceOf(TriggerVerdict.Ok.class, e.afterStep("web1", step, ok, Map.of("vars", Map.of("limit", 30L)), probes));
        assertInstanceOf(TriggerVerdict.Fire.class, e.afterStep("web1", step, ok, Map.of("vars", Map.of("limit", 10L)), probes));
    }

    @Test
    void aTriggerPendingAfterTheLastStepIsWatchedUntilItFires() throws Exception {
        TriggerEvaluator e = new TriggerEvaluator(List.of(latency(Optional.of(Duration.ofMinutes(5)), 1)), clock);
        value.set(45);
        Instant first = clock.instant();
        sampleAfter(e, Duration.ZERO);
        clock.advance(Duration.ofMinutes(2));
        List<String> notices = new ArrayList<>();
        TriggerVerdict.Fire f = assertInstanceOf(TriggerVerdict.Fire.class, e.settle("web1", Map.of(), probes, clock.sleeper(),
                notices::add));
        assertEquals("start-latency", f.trigger().name());
        assertEquals("host 'web1' finished its steps while trigger 'start-latency' was pending: watching it until it fires or"
                + " clears (at most 3m20s)", notices.get(0));
        assertTrue(Duration.between(first, clock.instant()).compareTo(Duration.ofMinutes(5)) >= 0
                && Duration.between(first, clock.instant()).compareTo(Duration.ofMinutes(5).plusSeconds(10)) <= 0,
                "fired once the condition had held 5m, at the first sample due after: " + clock.instant());
    }

    @Test
    void aPendingTriggerWhoseConditionClearsLetsTheHostFinishAfterOneMoreSample() throws Exception {
        TriggerEvaluator e = new TriggerEvaluator(List.of(latency(Optional.of(Duration.ofMinutes(5)), 1)), clock);
        value.set(45);
        sampleAfter(e, Duration.ZERO);
        value.set(10);
        int before = probed.size();
        assertEquals(TriggerVerdict.QUIET, e.settle("web1", Map.of(), probes, clock.sleeper(), n -> {}));
        assertEquals(before + 1, probed.size(), "one sample, when its interval came: " + probed);
        assertEquals(List.of(Duration.ofSeconds(10)), clock.sleeps);
    }

    @Test
    void aHostWithNoPendingTriggerFinishesAtOnceWithoutAProbe() throws Exception {
        TriggerEvaluator e = new TriggerEvaluator(List.of(latency(Optional.of(Duration.ofMinutes(5)), 1)), clock);
        value.set(10);
        sampleAfter(e, Duration.ZERO);
        int before = probed.size();
        List<String> notices = new ArrayList<>();
        assertEquals(TriggerVerdict.QUIET, e.settle("web1", Map.of(), probes, clock.sleeper(), notices::add));
        assertEquals(before, probed.size());
        assertEquals(List.of(), notices);
        assertEquals(List.of(), clock.sleeps);
    }

    @Test
    void aPendingTriggerWhoseAnswersCannotBeJudgedIsWatchedNoLongerThanItCouldHaveTakenToFire() throws Exception {
        TriggerEvaluator e = new TriggerEvaluator(List.of(latency(Optional.of(Duration.ofMinutes(1)), 1)), clock);
        value.set(45);
        sampleAfter(e, Duration.ZERO);
        ProbeRunner noValue = (p, t) -> StepResult.ok("", Map.of());
        List<String> notices = new ArrayList<>();
        Instant start = clock.instant();
        assertEquals(TriggerVerdict.QUIET, e.settle("web1", Map.of(), noValue, clock.sleeper(), notices::add));
        Duration watched = Duration.between(start, clock.instant());
        assertTrue(watched.compareTo(Duration.ofSeconds(80)) <= 0, "1m window + one 10s interval + a 10s probe: " + watched);
        assertEquals("trigger 'start-latency' on host 'web1' is still pending where it would have fired had its condition gone on"
                + " holding (its probe's answers could not be judged): no longer watched", notices.get(notices.size() - 1));
    }
}
