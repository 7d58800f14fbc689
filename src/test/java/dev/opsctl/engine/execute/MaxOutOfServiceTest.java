package dev.opsctl.engine.execute;

import static dev.opsctl.engine.fakes.TestRunbooks.hosts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.StepResult;
import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.fakes.Harness;
import dev.opsctl.engine.fakes.TestRunbooks;
import dev.opsctl.engine.fakes.TestSteps;
import dev.opsctl.engine.fakes.TestTriggers;
import dev.opsctl.event.RunEvent;
import dev.opsctl.runbook.model.BatchSize;
import dev.opsctl.runbook.model.Strategy;
import dev.opsctl.runbook.model.TriggerAction;
import dev.opsctl.source.SourcePos;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MaxOutOfServiceTest {
    private static Strategy strategy(int maxFailures, boolean continueOnFailure, int maxOutOfService) {
        return new Strategy(List.of(new BatchSize(100, true)), maxFailures, continueOnFailure, Optional.empty(),
                Optional.of(maxOutOfService), Duration.ZERO, SourcePos.NONE);
    }

    /** Counts hosts between their first step and their end (ok or rolled back), as the invariant defines it. */
    private static final class Gauge {
        final AtomicInteger now = new AtomicInteger();
        final AtomicInteger max = new AtomicInteger();

        StepResult in() {
            max.accumulateAndGet(now.incrementAndGet(), Math::max);
            return StepResult.changed("drained", Map.of());
        }

        StepResult out() {
            now.decrementAndGet();
            return StepResult.changed("back", Map.of());
        }
    }

    @Test
    void neverMoreHostsOutOfServiceThanAllowedAlthoughForksWouldAllowMore() {
        Gauge g = new Gauge();
        TestSteps drain = TestSteps.step("drain", (ctx, call) -> g.in());
        TestSteps work = TestSteps.step("work", (ctx, call) -> {
            Thread.sleep(15);
            return StepResult.ok("", Map.of());
        });
        TestSteps undrain = TestSteps.step("undrain", (ctx, call) -> g.out());
        Harness h = new Harness();
        h.forks = 6;
        RunOutcome out = h.run(TestRunbooks.runbook(strategy(0, false, 2), drain, work, undrain), hosts(8));
        assertEquals(ExitCodes.OK, out.exitCode(), out.message());
        assertEquals(2, g.max.get(), "two hosts at once, never three");
        assertEquals(8, undrain.type().calls().size());
        assertTrue(h.events.of(RunEvent.Notice.class).stream().anyMatch(n -> n.message().contains("max_out_of_service is 2")));
    }

    @Test
    void aHostBeingRolledBackStillCountsAsOutOfService() {
        Gauge g = new Gauge();
        TestSteps drain = TestSteps.step("drain", (ctx, call) -> g.in());
        TestSteps restart = TestSteps.step("restart", (ctx, call) -> {
            Thread.sleep(10);
            return ctx.host().equals("web1") ? StepResult.failed("exit 1", Map.of()) : StepResult.ok("", Map.of());
        });
        TestSteps undrain = TestSteps.step("undrain", (ctx, call) -> g.out());
        TestSteps rbSlow = TestSteps.step("rb-restore", (ctx, call) -> {
            Thread.sleep(40);
            return g.out();
        });
        Harness h = new Harness();
        h.forks = 4;
        var rb = TestTriggers.runbook(strategy(3, true, 2), List.of(TestTriggers.onStep("t", "restart", TriggerAction.ROLLBACK)),
                List.of(drain, restart, undrain), List.of(rbSlow));
        RunOutcome out = h.run(rb, hosts(6));
        assertEquals(ExitCodes.ROLLED_BACK, out.exitCode(), out.message());
        assertEquals("rolled_back", out.hosts().get("web1"));
        assertEquals(2, g.max.get(), "web1's rollback held its slot");
        assertEquals(5, undrain.type().calls().size(), "continue_on_failure within max_failures: the others went on");
    }

    @Test
    void hostsLeftBrokenKeepTheirSlotsAndTheRolloutStopsInsteadOfWaitingForever() {
        TestSteps fail = TestSteps.step("restart", (ctx, call) -> StepResult.failed("exit 1", Map.of()));
        Harness h = new Harness();
        h.forks = 1;
        RunOutcome out = h.run(TestRunbooks.runbook(strategy(5, true, 2), fail), hosts(4));
        assertEquals(ExitCodes.FAILED, out.exitCode());
        assertEquals(Map.of("web1", "failed", "web2", "failed", "web3", "not_started", "web4", "not_started"), out.hosts());
        assertTrue(out.message().contains("max_out_of_service (2) is used up by hosts left out of service: web1, web2"), out.message());
    }
}
