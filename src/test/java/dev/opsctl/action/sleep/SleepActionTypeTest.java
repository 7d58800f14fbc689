package dev.opsctl.action.sleep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.FakeStepContext;
import dev.opsctl.action.ParseFixture;
import dev.opsctl.action.StepResult;
import dev.opsctl.target.local.LocalTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SleepActionTypeTest {
    @TempDir
    Path tmp;

    private final SleepActionType type = new SleepActionType();

    @Test
    void sleepsThroughTheContextAndEstimatesTheDuration() throws Exception {
        FakeStepContext ctx = new FakeStepContext(new LocalTarget(), tmp);
        SleepSpec spec = new ParseFixture(tmp).parseClean(type, "sleep: 1m30s\n");
        StepResult r = type.execute(spec, ctx);
        assertEquals(StepResult.Outcome.OK, r.outcome());
        assertEquals(List.of(Duration.ofSeconds(90)), ctx.sleeps);
        assertEquals(Duration.ofSeconds(90), type.estimate(spec));
        assertEquals("sleep 1m30s", type.summary(spec));
    }

    @Test
    void aBadDurationIsAParseError() {
        ParseFixture fx = new ParseFixture(tmp);
        fx.parse(type, "sleep: 30 seconds\n");
        assertTrue(fx.rendered().contains("step.yaml:1:8: error: 'sleep' is not a duration: '30 seconds'"), fx.rendered());
    }
}
