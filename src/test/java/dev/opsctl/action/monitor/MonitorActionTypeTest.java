package dev.opsctl.action.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.FakeStepContext;
import dev.opsctl.action.ParseFixture;
import dev.opsctl.action.StepContext;
import dev.opsctl.action.StepResult;
import dev.opsctl.action.WatchOutcome;
import dev.opsctl.target.local.LocalTarget;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitorActionTypeTest {
    @TempDir
    Path tmp;

    private final MonitorActionType type = new MonitorActionType();

    @Test
    void parsesDurationAndIntervalWithATenSecondDefault() {
        ParseFixture p = new ParseFixture(tmp);
        assertEquals(new MonitorSpec(Duration.ofMinutes(5), Duration.ofSeconds(10)), p.parseClean(type, "monitor: {duration: 5m}"));
        assertEquals(new MonitorSpec(Duration.ofMinutes(1), Duration.ofSeconds(2)), p.parseClean(type, "monitor: {duration: 1m, interval: 2s}"));
    }

    @Test
    void reportsAMissingDurationAndUnknownKeysWithPositions() {
        ParseFixture p = new ParseFixture(tmp);
        assertTrue(p.parse(type, "monitor: {interval: 10s, duratoin: 5m}").isEmpty());
        String out = p.rendered();
        assertTrue(out.contains("missing required key 'duration' in 'monitor'"), out);
        assertTrue(out.contains("did you mean 'duration'?"), out);
    }

    @Test
    void watchesTheWholeDurationThroughTheContextAndIsOkWhenNothingFired() throws Exception {
        FakeStepContext ctx = new FakeStepContext(new LocalTarget(), tmp);
        StepResult r = type.execute(new MonitorSpec(Duration.ofMinutes(5), Duration.ofSeconds(10)), ctx);
        assertEquals(StepResult.Outcome.OK, r.outcome(), r.message());
        assertEquals(31L, r.data().get("samples"));
        assertEquals(300_000L, r.data().get("watched_ms"));
        assertEquals(30, ctx.sleeps.size());
    }

    @Test
    void failsWithTheReasonWhenTheEngineSaysATriggerFired() throws Exception {
        FakeStepContext fake = new FakeStepContext(new LocalTarget(), tmp);
        // the engine's side of watch: 40s in, a trigger fired
        StepContext ctx = (StepContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {StepContext.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("watch")) {
                        fake.sleep(Duration.ofSeconds(40));
                        return WatchOutcome.fired("trigger 'health-500' fired: 'status >= 500' holds: status=500", 5);
                    }
                    return method.invoke(fake, args);
                });
        StepResult r = type.execute(new MonitorSpec(Duration.ofMinutes(5), Duration.ofSeconds(10)), ctx);
        assertEquals(StepResult.Outcome.FAILED, r.outcome());
        assertEquals("after 40s of watching: trigger 'health-500' fired: 'status >= 500' holds: status=500", r.message());
        assertEquals(5L, r.data().get("samples"));
    }

    @Test
    void takesTheDurationFromATemplateRenderedOnTheHost() throws Exception {
        ParseFixture p = new ParseFixture(tmp);
        MonitorSpec spec = p.parseClean(type, "monitor: {duration: '{{ monitor_duration }}', interval: 10s}");
        assertEquals(java.util.Optional.of("{{ monitor_duration }}"), spec.duration().template());
        assertEquals("monitor {{ monitor_duration }} every 10s", type.summary(spec));
        FakeStepContext ctx = new FakeStepContext(new LocalTarget(), tmp);
        ctx.vars.put("monitor_duration", Duration.ofSeconds(30));
        StepResult r = type.execute(spec, ctx);
        assertEquals(StepResult.Outcome.OK, r.outcome(), r.message());
        assertEquals(30_000L, r.data().get("watched_ms"));
        assertEquals(4L, r.data().get("samples"));
    }

    @Test
    void failsWhenTheTemplatedDurationIsNotADuration() throws Exception {
        ParseFixture p = new ParseFixture(tmp);
        MonitorSpec spec = p.parseClean(type, "monitor: {duration: '{{ monitor_duration }}'}");
        FakeStepContext ctx = new FakeStepContext(new LocalTarget(), tmp);
        ctx.vars.put("monitor_duration", "soon");
        StepResult r = type.execute(spec, ctx);
        assertEquals(StepResult.Outcome.FAILED, r.outcome());
        assertEquals("'duration' in 'monitor' is 'soon', not a duration longer than 0s (e.g. 5m)", r.message());
        assertTrue(ctx.sleeps.isEmpty(), "nothing was watched");
    }
}
