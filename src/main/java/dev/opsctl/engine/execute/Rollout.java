package dev.opsctl.engine.execute;

import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.strategy.FailureBudget;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The state hosts share: their statuses, the failure count, whether the rollout halted and why. Thread-safe. */
final class Rollout {
    private final FailureBudget budget;
    private final Map<String, String> statuses = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();
    private int unreachable;
    private volatile boolean halted;
    private Optional<String> haltReason = Optional.empty();
    private int hookExit = ExitCodes.OK;

    Rollout(FailureBudget budget, List<String> hosts) {
        this.budget = budget;
        hosts.forEach(h -> statuses.put(h, "not_started"));
    }

    boolean halted() {
        return halted;
    }

    synchronized void halt(String reason) {
        if (!halted) {
            halted = true;
            haltReason = Optional.of(reason);
        }
    }

    synchronized void hookExit(int code) {
        hookExit = ExitCodes.worst(hookExit, code);
    }

    synchronized int hookExit() {
        return hookExit;
    }

    /** Records a host's end; a failure past {@code max_failures} halts the rollout. */
    synchronized void hostDone(String host, String status, Optional<String> failure) {
        statuses.put(host, status);
        failure.ifPresent(f -> {
            failures.add(f);
            if (status.equals("unreachable")) {
                unreachable++;
            }
            if (budget.exceeded(failures.size())) {
                int n = failures.size();
                // an unreachable host is reported apart from a failed one, here too
                String what = unreachable == 0 ? "failed" : unreachable == n ? "unreachable" : "failed or unreachable";
                halt(n + (n == 1 ? " host " : " hosts ") + what + ", more than max_failures (" + budget.maxFailures() + ")");
            }
        });
    }

    synchronized boolean allowsNextBatch() {
        return budget.allowsNextBatch(failures.size());
    }

    synchronized int failedCount() {
        return failures.size();
    }

    synchronized List<String> failures() {
        return List.copyOf(failures);
    }

    synchronized Optional<String> haltReason() {
        return haltReason;
    }

    synchronized Map<String, String> statuses() {
        return new LinkedHashMap<>(statuses);
    }
}
