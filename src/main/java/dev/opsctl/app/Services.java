package dev.opsctl.app;

import dev.opsctl.engine.execute.HostHooks;
import dev.opsctl.engine.execute.Sleeper;
import dev.opsctl.engine.execute.TargetProvider;
import dev.opsctl.target.kube.KubeClusters;
import dev.opsctl.target.kube.KubeConnections;
import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * The composition root: one place that builds the use cases from their parts. The CLI and the
 * shell build one of these per process with the real loaders and targets; tests pass fakes.
 */
public final class Services {
    private final PlanService plans;
    private final RunService runs;
    private final RunsService history;
    private final ReportService reports;

    public Services(Env env, RunbookSource runbooks, InventorySource inventories, TargetProvider targets, HostHooks hooks,
            Sleeper sleeper, Prompter prompter, RandomGenerator random) {
        this(env, runbooks, inventories, targets, hooks, sleeper, prompter, random, GateSetup.besideRunbooks(env.environment()));
    }

    public Services(Env env, RunbookSource runbooks, InventorySource inventories, TargetProvider targets, HostHooks hooks,
            Sleeper sleeper, Prompter prompter, RandomGenerator random, GateSetup gates) {
        this(env, runbooks, inventories, targets, hooks, sleeper, prompter, random, gates,
                new KubeClusters(KubeConnections.fromEnvironment(env.environment())), ClusterLease.DURATION);
    }

    /**
     * With the clusters a run's container backend and cluster lock use (tests: a mock server's) and how long a
     * lease lasts without renewal.
     */
    public Services(Env env, RunbookSource runbooks, InventorySource inventories, TargetProvider targets, HostHooks hooks,
            Sleeper sleeper, Prompter prompter, RandomGenerator random, GateSetup gates, KubeClusters clusters,
            java.time.Duration leaseDuration) {
        Execution execution = new Execution(env, targets, hooks, sleeper, prompter, gates, clusters, leaseDuration);
        this.plans = new PlanService(env, runbooks, inventories);
        this.runs = new RunService(env, plans, execution, random);
        this.history = new RunsService(env, runbooks, inventories, execution, prompter);
        this.reports = new ReportService(env);
    }

    /** Real sleeping and random run ids; gate checklists beside the runbooks, manual items failing closed. */
    public static Services of(Env env, RunbookSource runbooks, InventorySource inventories, TargetProvider targets,
            Prompter prompter) {
        return new Services(env, runbooks, inventories, targets, HostHooks.NONE, Sleeper.REAL, prompter, new SecureRandom());
    }

    /** As {@link #of}, with where gate checklists are found and who answers them at a terminal. */
    public static Services of(Env env, RunbookSource runbooks, InventorySource inventories, TargetProvider targets,
            Prompter prompter, GateSetup gates) {
        return new Services(env, runbooks, inventories, targets, HostHooks.NONE, Sleeper.REAL, prompter, new SecureRandom(), gates);
    }

    /** The standard wiring: the runbook loader with every step type, inventories, local and SSH targets. */
    public static Services standard(Env env, Prompter prompter, TargetProvider targets) {
        RunbookSource runbooks = new LoaderRunbooks(dev.opsctl.action.ActionRegistry.standard(env.environment()),
                dev.opsctl.runbook.load.Checklists.ANY);
        return of(env, runbooks, Services::loadInventory, targets, prompter);
    }

    /** Local targets only, with no ssh config read: for tests and the embedded local target. */
    public static Services standard(Env env, Prompter prompter) {
        return standard(env, prompter, new HostTargets(dev.opsctl.target.ssh.SshConfig.empty(),
                dev.opsctl.target.ssh.SshOptions.defaults()));
    }

    static dev.opsctl.inventory.Inventory loadInventory(java.nio.file.Path file) throws OpsctlException {
        dev.opsctl.source.Problems problems = new dev.opsctl.source.Problems();
        return dev.opsctl.inventory.InventoryLoader.load(file, problems)
                .orElseThrow(() -> OpsctlException.usage(problems.render().stripTrailing()));
    }

    public PlanService plans() {
        return plans;
    }

    public RunService runs() {
        return runs;
    }

    public RunsService history() {
        return history;
    }

    /** Run reports: {@code runs report ID}, and the subscriber that writes them when a run finishes. */
    public ReportService reports() {
        return reports;
    }
}
