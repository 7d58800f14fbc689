package dev.opsctl.app;

import dev.opsctl.engine.plan.PlanOptions;
import dev.opsctl.source.Secret;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A run as the operator asked for it. {@code inventory} empty: the embedded local target.
 * {@code extraVars}: the {@code -e KEY=VALUE} strings as typed. {@code sudoPassword}: for steps with
 * {@code sudo: true} on hosts without passwordless sudo. {@code dryRunTriggers}: triggers are evaluated
 * against live probes and reported (trigger-fired events with {@code dryRun: true}), never acted on.
 * {@code cluster}: the container backend and the cluster the lock uses. {@code notifyUrls}: {@code --notify}
 * webhook URLs (credentials: never shown or journaled).
 */
public record RunRequest(
        Path runbook,
        Optional<Path> inventory,
        List<String> limit,
        List<String> extraVars,
        int forks,
        boolean dryRun,
        boolean ignoreWindow,
        Optional<Secret> sudoPassword,
        boolean dryRunTriggers,
        GateAnswers answers,
        ClusterOptions cluster,
        List<String> notifyUrls) {

    public RunRequest {
        limit = List.copyOf(limit);
        extraVars = List.copyOf(extraVars);
        notifyUrls = List.copyOf(notifyUrls);
    }

    public RunRequest(Path runbook, Optional<Path> inventory, List<String> limit, List<String> extraVars, int forks, boolean dryRun,
            boolean ignoreWindow, Optional<Secret> sudoPassword, boolean dryRunTriggers, GateAnswers answers, ClusterOptions cluster) {
        this(runbook, inventory, limit, extraVars, forks, dryRun, ignoreWindow, sudoPassword, dryRunTriggers, answers, cluster, List.of());
    }

    public RunRequest(Path runbook, Optional<Path> inventory, List<String> limit, List<String> extraVars, int forks, boolean dryRun,
            boolean ignoreWindow, Optional<Secret> sudoPassword, boolean dryRunTriggers, GateAnswers answers) {
        this(runbook, inventory, limit, extraVars, forks, dryRun, ignoreWindow, sudoPassword, dryRunTriggers, answers,
                ClusterOptions.DEFAULT);
    }

    public RunRequest(Path runbook, Optional<Path> inventory, List<String> limit, List<String> extraVars, int forks, boolean dryRun,
            boolean ignoreWindow, Optional<Secret> sudoPassword, boolean dryRunTriggers) {
        this(runbook, inventory, limit, extraVars, forks, dryRun, ignoreWindow, sudoPassword, dryRunTriggers, GateAnswers.NONE);
    }

    public RunRequest(Path runbook, Optional<Path> inventory, List<String> limit, List<String> extraVars, int forks, boolean dryRun,
            boolean ignoreWindow, Optional<Secret> sudoPassword) {
        this(runbook, inventory, limit, extraVars, forks, dryRun, ignoreWindow, sudoPassword, false);
    }

    /** Manual gate items answered ahead: {@code --confirm ID} and {@code --answers FILE}. */
    public RunRequest withSudoPassword(Optional<Secret> p) {
        return new RunRequest(runbook, inventory, limit, extraVars, forks, dryRun, ignoreWindow, p, dryRunTriggers, answers, cluster, notifyUrls);
    }

    public RunRequest withAnswers(GateAnswers a) {
        return new RunRequest(runbook, inventory, limit, extraVars, forks, dryRun, ignoreWindow, sudoPassword, dryRunTriggers, a, cluster, notifyUrls);
    }

    public RunRequest withDryRunTriggers(boolean b) {
        return new RunRequest(runbook, inventory, limit, extraVars, forks, dryRun, ignoreWindow, sudoPassword, b, answers, cluster, notifyUrls);
    }

    /** Where containers live ({@code --backend}) and which cluster the lock and the kubernetes backend use. */
    public RunRequest withCluster(ClusterOptions c) {
        return new RunRequest(runbook, inventory, limit, extraVars, forks, dryRun, ignoreWindow, sudoPassword, dryRunTriggers, answers, c, notifyUrls);
    }

    public static RunRequest of(Path runbook) {
        return new RunRequest(runbook, Optional.empty(), List.of(), List.of(), PlanOptions.DEFAULT_FORKS, false, false,
                Optional.empty());
    }

    public RunRequest withInventory(Path inv) {
        return new RunRequest(runbook, Optional.of(inv), limit, extraVars, forks, dryRun, ignoreWindow, sudoPassword, dryRunTriggers, answers, cluster, notifyUrls);
    }

    public RunRequest withExtraVars(List<String> vars) {
        return new RunRequest(runbook, inventory, limit, vars, forks, dryRun, ignoreWindow, sudoPassword, dryRunTriggers, answers, cluster, notifyUrls);
    }

    public RunRequest withLimit(List<String> patterns) {
        return new RunRequest(runbook, inventory, patterns, extraVars, forks, dryRun, ignoreWindow, sudoPassword, dryRunTriggers, answers, cluster, notifyUrls);
    }

    public RunRequest withForks(int n) {
        return new RunRequest(runbook, inventory, limit, extraVars, n, dryRun, ignoreWindow, sudoPassword, dryRunTriggers, answers, cluster, notifyUrls);
    }

    public RunRequest withIgnoreWindow(boolean b) {
        return new RunRequest(runbook, inventory, limit, extraVars, forks, dryRun, b, sudoPassword, dryRunTriggers, answers, cluster, notifyUrls);
    }

    public RunRequest withDryRun(boolean b) {
        return new RunRequest(runbook, inventory, limit, extraVars, forks, b, ignoreWindow, sudoPassword, dryRunTriggers, answers, cluster, notifyUrls);
    }

    /** Webhooks every event of the run is posted to ({@code --notify URL}), besides the runbook's own {@code notify:}. */
    public RunRequest withNotify(List<String> urls) {
        return new RunRequest(runbook, inventory, limit, extraVars, forks, dryRun, ignoreWindow, sudoPassword, dryRunTriggers, answers, cluster, urls);
    }
}
