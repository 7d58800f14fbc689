package dev.opsctl.engine.execute;

import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.strategy.FailureBudget;
import dev.opsctl.inventory.Host;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The state hosts share: their statuses, the failure count, whether the rollout halted and why, the
 * hosts that ran in the order they finished (for {@code rollback-all}) and whether a trigger asked to
 * roll every host back. Thread-safe.
 */
final class Rollout {
    /** A host that ran steps, with its scope kept so that it can still be rolled back after its thread ended. */
    record Finished(Host host, HostScope scope, String status) {}

    private final FailureBudget budget;
    private final List<Finished> finished = new ArrayList<>();
    private Optional<String> rollbackAll = Optional.empty();
    private final Map<String, String> statuses = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();
    private int unreachable;
    private volatile boolean halted;
    private Optional<String> haltReason = Optional.empty();
    private int hookExit = ExitCodes.OK;
    private java.util.function.Consumer<String> onHalt = r -> { };

    /** Told once, when the rollout halts, with the reason (the engine emits it as an event then, not at the end). */
    synchronized void onHalt(java.util.function.Consumer<String> listener) {
        onHalt = listener;
    }

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
            onHalt.accept(reason);
        }
    }

    /** Once it is known how what a halt announced went: the halt's reason {@code was} becomes {@code now} (no new event). */
    synchronized void restateHalt(String was, String now) {
        if (haltReason.filter(was::equals).isPresent()) {
            haltReason = Optional.of(now);
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

    /** Whether one more failed host still lets the rollout go on ({@code continue_on_failure} within {@code max_failures}). */
    synchronized boolean continuesAfterAnotherFailure() {
        return budget.continueOnFailure() && !budget.exceeded(failures.size() + 1);
    }

    /** Keeps a host that ran steps, in order of completion. */
    synchronized void ran(Host host, HostScope scope, String status) {
        finished.add(new Finished(host, scope, status));
    }

    /** Hosts that ran, latest finished first. */
    synchronized List<Finished> finishedLatestFirst() {
        List<Finished> out = new ArrayList<>(finished);
        java.util.Collections.reverse(out);
        return out;
    }

    synchronized void requestRollbackAll(String reason) {
        if (rollbackAll.isEmpty()) {
            rollbackAll = Optional.of(reason);
        }
    }

    synchronized Optional<String> rollbackAll() {
        return rollbackAll;
    }

    /** Records a status change after the host's end (an ok host rolled back by {@code rollback-all}). */
    synchronized void restatus(String host, String status, Optional<String> failure) {
        statuses.put(host, status);
        failure.ifPresent(failures::add);
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
