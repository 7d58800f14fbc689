package dev.opsctl.engine.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.opsctl.engine.strategy.FailureBudget;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RolloutTest {
    private final Rollout rollout = new Rollout(new FailureBudget(1, true), List.of("a", "b", "c"));

    @Test
    void theHaltReasonTellsUnreachableHostsFromFailedOnes() {
        rollout.hostDone("a", "unreachable", Optional.of("host 'a': unreachable"));
        rollout.hostDone("b", "unreachable", Optional.of("host 'b': unreachable"));
        assertEquals(Optional.of("2 hosts unreachable, more than max_failures (1)"), rollout.haltReason());
    }

    @Test
    void aMixIsNamedAsSuch() {
        rollout.hostDone("a", "failed", Optional.of("host 'a': step 'x' failed"));
        rollout.hostDone("b", "unreachable", Optional.of("host 'b': unreachable"));
        assertEquals(Optional.of("2 hosts failed or unreachable, more than max_failures (1)"), rollout.haltReason());
    }

    @Test
    void failedHostsAreCalledFailed() {
        rollout.hostDone("a", "ok", Optional.empty());
        rollout.hostDone("b", "failed", Optional.of("host 'b': step 'x' failed"));
        assertEquals(Optional.empty(), rollout.haltReason(), "within max_failures");
        rollout.hostDone("c", "failed", Optional.of("host 'c': step 'x' failed"));
        assertEquals(Optional.of("2 hosts failed, more than max_failures (1)"), rollout.haltReason());
    }
}
