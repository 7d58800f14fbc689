package dev.opsctl.engine.strategy;

import dev.opsctl.runbook.model.Strategy;

/**
 * {@code max_failures} and {@code continue_on_failure}: once more than {@code maxFailures} hosts
 * failed, no host starts; a failed host stops the next batch from starting unless
 * {@code continueOnFailure} (and the budget still holds).
 */
public record FailureBudget(int maxFailures, boolean continueOnFailure) {
    public static FailureBudget of(Strategy s) {
        return new FailureBudget(s.maxFailures(), s.continueOnFailure());
    }

    public boolean exceeded(int failedHosts) {
        return failedHosts > maxFailures;
    }

    public boolean allowsNextBatch(int failedHosts) {
        return failedHosts == 0 || (continueOnFailure && !exceeded(failedHosts));
    }
}
