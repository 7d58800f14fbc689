package dev.opsctl.app;

import dev.opsctl.engine.plan.Plan;
import dev.opsctl.engine.plan.PlanOptions;
import dev.opsctl.engine.plan.Planner;
import dev.opsctl.inventory.Host;
import dev.opsctl.runbook.model.Runbook;
import java.util.List;
import java.util.Map;

/** {@code opsctl plan}: what would run, where, in which batches, how long. Loads and checks like a run. */
public final class PlanService {
    private final Env env;
    private final RunbookSource runbooks;
    private final InventorySource inventories;

    public PlanService(Env env, RunbookSource runbooks, InventorySource inventories) {
        this.env = env;
        this.runbooks = runbooks;
        this.inventories = inventories;
    }

    public Plan plan(RunRequest request) throws OpsctlException {
        return prepare(request).plan();
    }

    /** A request loaded and checked: runbook, hosts, typed params, plan. */
    record Prepared(Runbook runbook, List<Host> hosts, Map<String, Object> params, Plan plan) {}

    Prepared prepare(RunRequest request) throws OpsctlException {
        if (request.forks() < 1) {
            throw OpsctlException.usage("--forks must be at least 1, got " + request.forks());
        }
        Runbook rb = runbooks.load(request.runbook());
        List<Host> hosts = hosts(rb, request);
        Map<String, Object> params = ParamResolver.resolve(rb, request.extraVars(), env.environment());
        try {
            rb.strategy().window().ifPresent(dev.opsctl.engine.strategy.MaintenanceWindow::parse);
        } catch (IllegalArgumentException e) {
            throw OpsctlException.usage(e.getMessage());
        }
        return new Prepared(rb, hosts, params, new Planner().plan(rb, hosts, new PlanOptions(request.forks())));
    }

    private List<Host> hosts(Runbook rb, RunRequest request) throws OpsctlException {
        if (request.inventory().isEmpty()) {
            if (!rb.targets().isLocal()) {
                throw OpsctlException.usage("runbook '" + rb.name() + "' targets '" + String.join(":", rb.targets().patterns())
                        + "': pass an inventory with -i INVENTORY");
            }
            return List.of(Host.local());
        }
        var inv = inventories.load(request.inventory().get());
        List<String> targets = rb.targets().isLocal() ? List.of("all") : rb.targets().patterns();
        return HostSelection.select(inv, targets, request.limit());
    }
}
