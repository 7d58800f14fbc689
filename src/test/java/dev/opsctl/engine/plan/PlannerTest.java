package dev.opsctl.engine.plan;

import static dev.opsctl.engine.fakes.TestRunbooks.hosts;
import static dev.opsctl.engine.fakes.TestRunbooks.n;
import static dev.opsctl.engine.fakes.TestRunbooks.pct;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.engine.fakes.TestRunbooks;
import dev.opsctl.engine.fakes.TestSteps;
import dev.opsctl.runbook.model.Runbook;
import dev.opsctl.runbook.model.Strategy;
import dev.opsctl.source.SourcePos;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlannerTest {
    private static Runbook userns(List<dev.opsctl.runbook.model.BatchSize> serial) {
        Strategy s = new Strategy(serial, 0, false, Optional.empty(), Optional.empty(), Duration.ofMinutes(5), SourcePos.NONE);
        return TestRunbooks.runbook(s, TestSteps.ok("drain").estimate(Duration.ofMinutes(2)),
                TestSteps.ok("restart").estimate(Duration.ofMinutes(1)).when("restart_needed"),
                TestSteps.ok("monitor").estimate(Duration.ofMinutes(5)));
    }

    @Test
    void workIsPerHostTimePlusBufferTimesHosts() {
        Plan p = new Planner().plan(userns(List.of(n(1))), hosts(4), PlanOptions.DEFAULT);
        assertEquals(Duration.ofMinutes(8), p.estimate().perHost());
        assertEquals(Duration.ofMinutes((8 + 5) * 4), p.estimate().work());
        assertEquals(Duration.ofMinutes((8 + 5) * 4), p.estimate().wall(), "serial 1: wall equals work");
    }

    @Test
    void wallTimeCountsHostsOfABatchInParallelUpToForks() {
        Plan p = new Planner().plan(userns(List.of(n(1), pct(100))), hosts(7), new PlanOptions(3));
        assertEquals(List.of(1, 6), p.batches().stream().map(b -> b.hosts().size()).toList());
        // batch 1: one host; batch 2: six hosts, three at a time = two waves
        assertEquals(List.of(Duration.ofMinutes(13), Duration.ofMinutes(26)), p.estimate().batchWall());
        assertEquals(Duration.ofMinutes(39), p.estimate().wall());
        assertEquals(Duration.ofMinutes(13 * 7), p.estimate().work());
    }

    @Test
    void everyStepIsListedAndConditionalOnesAreMarked() {
        Plan p = new Planner().plan(userns(List.of(n(2))), hosts(3), PlanOptions.DEFAULT);
        assertEquals(List.of("drain", "restart", "monitor"), p.steps().stream().map(PlannedStep::id).toList());
        assertFalse(p.steps().get(0).conditional());
        assertTrue(p.steps().get(1).conditional());
        assertEquals(List.of("web1", "web2", "web3"), List.copyOf(p.stepsByHost().keySet()));
        assertEquals(List.of(1, 2), p.batches().stream().map(HostBatch::index).toList());
    }
}
