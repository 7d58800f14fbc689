package dev.opsctl.app;

import dev.opsctl.engine.execute.HostResume;
import dev.opsctl.engine.execute.Masks;
import dev.opsctl.engine.execute.ParamText;
import dev.opsctl.engine.execute.RunOptions;
import dev.opsctl.engine.execute.StopSignal;
import dev.opsctl.engine.journal.JournalReader;
import dev.opsctl.engine.journal.RunHeader;
import dev.opsctl.engine.journal.RunId;
import dev.opsctl.engine.journal.RunLock;
import dev.opsctl.engine.journal.RunState;
import dev.opsctl.engine.journal.RunStore;
import dev.opsctl.engine.plan.PlanOptions;
import dev.opsctl.engine.plan.Planner;
import dev.opsctl.engine.rollback.RollbackSelection;
import dev.opsctl.event.EventSink;
import dev.opsctl.event.RunEvent;
import dev.opsctl.inventory.Host;
import dev.opsctl.inventory.Inventory;
import dev.opsctl.param.Param;
import dev.opsctl.runbook.model.Runbook;
import dev.opsctl.source.Secret;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** {@code opsctl runs list | show ID | resume ID | rollback ID}, all from the journals under the state directory. */
public final class RunsService {
    private final Env env;
    private final RunbookSource runbooks;
    private final InventorySource inventories;
    private final Execution execution;
    private final Prompter prompter;

    RunsService(Env env, RunbookSource runbooks, InventorySource inventories, Execution execution, Prompter prompter) {
        this.env = env;
        this.runbooks = runbooks;
        this.inventories = inventories;
        this.execution = execution;
        this.prompter = prompter;
    }

    /**
     * Newest first; a journal that cannot be read is listed with status {@code unreadable}, an empty one
     * (opsctl killed before the run's first record) as {@code never started}, at the time in its id.
     */
    public List<RunSummary> list() throws OpsctlException {
        RunStore store = new RunStore(env.stateDir());
        List<RunSummary> out = new ArrayList<>();
        try {
            for (String id : store.runIds()) {
                try {
                    RunState s = store.find(id).orElseThrow();
                    // the latest start's locks: a rollback holds only its hosts, a resume forced past a rename the new name too
                    boolean held = s.status().isEmpty()
                            && RunLock.isHeld(store.locksDir(), s.lastHeader().runbook(), s.lastHeader().hostNames(), id);
                    out.add(new RunSummary(id, s.header().runbook(), s.header().started(), s.displayStatus(held),
                            s.header().hostNames(), s.header().operator()));
                } catch (JournalReader.NeverStarted e) {
                    Instant started = RunId.started(id, env.clock().getZone()).orElse(Instant.EPOCH);
                    out.add(new RunSummary(id, "?", started, "never started", List.of(), "?"));
                } catch (IOException e) {
                    out.add(new RunSummary(id, "?", Instant.EPOCH, "unreadable", List.of(), "?"));
                }
            }
        } catch (IOException e) {
            throw OpsctlException.refused("cannot read runs under '" + store.runsDir() + "': " + e.getMessage());
        }
        return out;
    }

    /** The run as its journal tells it: per host, each step's last outcome, message and (capped) output. */
    public RunState show(String runId) throws OpsctlException {
        try {
            return new RunStore(env.stateDir()).find(runId).orElseThrow(() -> noSuchRun(runId));
        } catch (IOException e) {
            throw OpsctlException.refused("cannot read run " + runId + ": " + e.getMessage());
        }
    }

    /**
     * Whether {@code runs resume} would have steps to run, with its refusals (no such run, a changed
     * runbook without {@code force}), before anything is asked for. Reads; changes nothing.
     */
    public boolean resumeHasWork(String runId, boolean force) throws OpsctlException {
        RunState state = show(runId);
        if (state.status().filter("ok"::equals).isPresent()) {
            return false;
        }
        unchangedRunbook(state, force, "resume", "resume");
        return true;
    }

    /** {@link #resumeHasWork} for {@code runs rollback}: a host not in the run is no work (the rollback refuses it). */
    public boolean rollbackHasWork(String runId, List<String> hosts, boolean force) throws OpsctlException {
        RunState state = show(runId);
        unchangedRunbook(state, force, "roll back", "rollback");
        try {
            return !RollbackSelection.choose(state, hosts).hosts().isEmpty();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The run's runbook, refused when it changed since the run last ran, unless {@code force}; the fix names {@code verb} and {@code command}. */
    private Runbook unchangedRunbook(RunState state, boolean force, String verb, String command) throws OpsctlException {
        RunHeader h = state.header();
        Runbook rb = runbooks.load(Path.of(h.runbookFile()));
        if (!rb.digest().equals(state.lastDigest()) && !force) {
            throw OpsctlException.refused("runbook '" + h.runbookFile() + "' changed since run " + h.runId() + " last ran\n  fix: "
                    + "review the change; " + verb + " anyway with 'opsctl runs "
                    + command + " " + h.runId() + " --force'");
        }
        return rb;
    }

    public int resume(ResumeRequest req, EventSink sink) throws OpsctlException {
        return resume(req, sink, new StopSignal());
    }

    public int resume(ResumeRequest req, EventSink sink, StopSignal stop) throws OpsctlException {
        RunState state = show(req.runId());
        RunHeader h = state.header();
        if (state.status().filter("ok"::equals).isPresent()) {
            sink.accept(new RunEvent.Notice(h.runId(), env.clock().instant(), "info", "", "run " + h.runId()
                    + " already finished ok; nothing to resume"));
            return 0;
        }
        Runbook rb = unchangedRunbook(state, req.force(), "resume", "resume");
        List<Host> hosts = hosts(h);
        Map<String, Object> params = params(rb, h, req.extraVars(), req.sudoPassword());
        Optional<RollbackAllResume.Plan> owed = RollbackAllResume.of(state, rb, req, prompter);
        var resume = owed.isPresent() ? owed.get().hosts() : ResumePlan.of(state, rb, req, prompter);
        int forks = h.options().get("forks") instanceof Number n ? n.intValue() : PlanOptions.DEFAULT_FORKS;
        var plan = new Planner().plan(rb, hosts, new PlanOptions(forks));
        Instant now = env.clock().instant();
        RunOptions o = new RunOptions(h.runId(), new RunStore(env.stateDir()).runDir(h.runId()), env.operator(), h.started(),
                env.clock().getZone(), forks, req.ignoreWindow(), false, req.sudoPassword(), env.environment(),
                RunOptions.DEFAULT_GRACE, true, stop).withDryRunTriggers(Boolean.TRUE.equals(h.options().get("dryRunTriggers")))
                .withConfirms(confirms(h));
        Map<String, Object> options = new LinkedHashMap<>(h.options());
        options.put("force", req.force());
        options.put("rerunInterrupted", req.rerunInterrupted());
        // the runbook's notify: block applies again; --notify URLs are not journaled (credentials): only how many there were
        var notify = RunNotifiers.of(req.notifyUrls(), rb, params);
        int before = h.options().get(RunNotifiers.COUNT_OPTION) instanceof Number n ? n.intValue() : 0;
        options.put(RunNotifiers.COUNT_OPTION, req.notifyUrls().size());
        if (before > req.notifyUrls().size()) {
            sink.accept(new RunEvent.Notice(h.runId(), now, "warning", "", "run " + h.runId() + " was started with " + before
                    + " --notify webhook" + (before == 1 ? "" : "s") + ", " + req.notifyUrls().size() + " given now: webhook URLs are "
                    + "credentials and are not kept in the journal; give them again with 'opsctl runs resume " + h.runId()
                    + " --notify URL'"));
        }
        RunHeader resumed = Execution.header(h.runId(), rb, params, h.inventory(), hosts, h.limit(), options, env.operator(), now);
        return execution.execute(new Execution.Job(rb, plan.batches(), params, resumed, o, resume, req.answers(),
                ClusterOptions.fromHeader(resumed.options()), notify, state.passedGates(), owed.map(RollbackAllResume.Plan::owed)),
                unchanged(state, "resume"), sink);
    }

    /**
     * {@code opsctl runs approve ID}: this operator signs off the run (four eyes: a gate with
     * {@code approvals: 2} passes once two distinct operators approved). Returns who has approved so far.
     */
    public java.util.Set<String> approve(String runId, String note) throws OpsctlException {
        RunState state = show(runId);
        Approvals approvals = new Approvals(new RunStore(env.stateDir()).runDir(runId));
        try {
            approvals.add(env.operator(), note, env.clock().instant());
        } catch (IOException e) {
            throw OpsctlException.refused("cannot record the approval of run " + runId + ": " + e.getMessage());
        }
        java.util.Set<String> who = new java.util.LinkedHashSet<>();
        who.add(state.header().operator());
        who.addAll(approvals.operators());
        return who;
    }

    public int rollback(RollbackRequest req, EventSink sink) throws OpsctlException {
        return rollback(req, sink, new StopSignal());
    }

    /**
     * {@code opsctl runs rollback}: the runbook's rollback steps for the chosen hosts of a finished or
     * halted run, each host's scope rebuilt from its journaled step results (so {@code restore: {from:
     * backup-config}} finds its manifest), appended to the run's journal. Exit 3 when every rollback
     * succeeded, 4 when one failed, 0 when there was nothing to roll back. A live run's lock refuses it.
     */
    public int rollback(RollbackRequest req, EventSink sink, StopSignal stop) throws OpsctlException {
        RunState state = show(req.runId());
        RunHeader h = state.header();
        Runbook rb = unchangedRunbook(state, req.force(), "roll back", "rollback");
        RollbackSelection.Choice choice;
        try {
            choice = RollbackSelection.choose(state, req.hosts());
        } catch (IllegalArgumentException e) {
            throw OpsctlException.usage(e.getMessage());
        }
        choice.skipped().forEach(why -> sink.accept(new RunEvent.Notice(h.runId(), env.clock().instant(), "info", "", why)));
        if (choice.hosts().isEmpty()) {
            sink.accept(new RunEvent.Notice(h.runId(), env.clock().instant(), "info", "", "nothing to roll back in run " + h.runId()));
            return 0;
        }
        RollbackRerun.check(state, rb, choice.hosts(), req.rerunInterrupted(), prompter);
        // only the hosts rolled back must still be in the inventory: the others are not touched, nor locked
        List<Host> chosen = hosts(h, choice.hosts());
        Map<String, Object> params = params(rb, h, req.extraVars(), req.sudoPassword());
        Map<String, HostResume> scopes = new LinkedHashMap<>();
        for (String name : choice.hosts()) {
            Map<String, Map<String, Object>> results = new LinkedHashMap<>();
            state.hosts().get(name).steps().values().forEach(r -> results.put(r.step(), r.restored()));
            scopes.put(name, new HostResume(false, results));
        }
        int forks = h.options().get("forks") instanceof Number n ? n.intValue() : PlanOptions.DEFAULT_FORKS;
        var plan = new Planner().plan(rb, chosen, new PlanOptions(forks));
        RunOptions o = new RunOptions(h.runId(), new RunStore(env.stateDir()).runDir(h.runId()), env.operator(), h.started(),
                env.clock().getZone(), forks, true, false, req.sudoPassword(), env.environment(), RunOptions.DEFAULT_GRACE, true, stop);
        Map<String, Object> options = new LinkedHashMap<>(h.options());
        options.put("mode", "rollback");
        options.put("rollbackHosts", choice.hosts());
        options.put("force", req.force());
        RunHeader header = Execution.header(h.runId(), rb, params, h.inventory(), chosen, h.limit(), options, env.operator(),
                env.clock().instant());
        return execution.rollback(new Execution.Job(rb, plan.batches(), params, header, o, scopes), chosen,
                unchanged(state, "rollback"), sink);
    }

    /**
     * Taken under the run lock: the journal still says what this resume or rollback was planned from.
     * Another one of the same run may have run in between (while this one asked the operator), and
     * replaying a stale plan would rerun what it finished or undo what it did.
     */
    private Execution.UnderLock unchanged(RunState planned, String what) {
        return () -> {
            if (!show(planned.runId()).equals(planned)) {
                throw OpsctlException.refused("run " + planned.runId() + " changed while this " + what + " was being prepared "
                        + "(another resume or rollback of it ran meanwhile); nothing was run\n  fix: see 'opsctl runs show "
                        + planned.runId() + "', then " + what + " again if there is still something to do");
            }
        };
    }

    /** A resumed run keeps the '--confirm' pre-answers it was started with. */
    private static List<String> confirms(RunHeader h) {
        return h.options().get("confirms") instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }

    private List<Host> hosts(RunHeader h) throws OpsctlException {
        return hosts(h, h.hostNames());
    }

    /** {@code names} of the run's hosts as the inventory has them now. */
    private List<Host> hosts(RunHeader h, List<String> names) throws OpsctlException {
        if (h.inventory().isEmpty()) {
            return List.of(Host.local());
        }
        Inventory inv = inventories.load(Path.of(h.inventory().get()));
        List<Host> out = new ArrayList<>();
        for (String name : names) {
            out.add(inv.host(name).orElseThrow(() -> OpsctlException.refused("host '" + name + "' of run " + h.runId()
                    + " is no longer in inventory '" + h.inventory().get() + "'")));
        }
        return out;
    }

    /**
     * The run's params again: plain ones from the journal, secrets given anew (the journal keeps them masked).
     * A plain param given again must be what the run had; one whose journaled text holds a secret's value
     * (masked) must be given again, from {@code -e} or its environment variable, and is compared once the
     * secrets are known: masked as the journal masked it, it must read exactly as journaled.
     */
    private Map<String, Object> params(Runbook rb, RunHeader h, List<String> extraVars, Optional<Secret> sudoPassword)
            throws OpsctlException {
        Map<String, String> given = new HashMap<>();
        for (String kv : extraVars) {
            int eq = kv.indexOf('=');
            given.put(eq > 0 ? kv.substring(0, eq).strip() : kv, eq > 0 ? kv.substring(eq + 1) : "");
        }
        List<String> vars = new ArrayList<>(extraVars);
        List<String> missing = new ArrayList<>();
        List<Param> maskedAgain = new ArrayList<>();
        for (Param p : rb.params()) {
            String journaled = h.params().get(p.name());
            boolean fromEnv = p.env().map(e -> env.environment().get(e)).filter(v -> !v.isEmpty()).isPresent();
            if (p.secret()) {
                if (!given.containsKey(p.name()) && !fromEnv && journaled != null && journaled.equals(Secret.MASK)) {
                    missing.add("param '" + p.name() + "' is a secret and the journal does not keep it: " + passAgain(p));
                }
            } else if (journaled != null && JournaledParam.masked(journaled)) {
                if (given.containsKey(p.name()) || fromEnv) {
                    maskedAgain.add(p);
                } else {
                    missing.add("param '" + p.name() + "' held a secret's value, which the journal keeps masked ('" + journaled
                            + "'): " + passAgain(p));
                }
            } else if (given.containsKey(p.name())) {
                if (journaled != null && !JournaledParam.same(p, journaled, given.get(p.name()))) {
                    missing.add("param '" + p.name() + "' was '" + journaled + "' in run " + h.runId()
                            + "; a resume cannot change it (start a new run instead)");
                }
            } else if (journaled != null) {
                vars.add(p.name() + "=" + journaled);
            }
        }
        if (!missing.isEmpty()) {
            throw OpsctlException.usage(String.join("\n", missing));
        }
        Map<String, Object> params = ParamResolver.resolve(rb, vars, env.environment());
        UnaryOperator<String> mask = Masks.forRun(params, sudoPassword);
        for (Param p : maskedAgain) {
            String journaled = h.params().get(p.name());
            // the given value is not shown: it holds a secret
            String now = ParamText.format(params.get(p.name()));
            if (now.contains(Secret.MASK)) {
                missing.add("param '" + p.name() + "' was given with '" + Secret.MASK + "' in it, the journal's mask: give it "
                        + "with the secret's value in place of the mask");
            } else if (!mask.apply(now).equals(journaled)) {
                missing.add("param '" + p.name() + "' is not what run " + h.runId() + " had ('" + journaled + "', its secret "
                        + "masked); a resume cannot change it (start a new run instead)");
            }
        }
        if (!missing.isEmpty()) {
            throw OpsctlException.usage(String.join("\n", missing));
        }
        return params;
    }

    private static String passAgain(Param p) {
        return "pass it again with -e " + p.name() + "=VALUE" + p.env().map(e -> " or set $" + e).orElse("");
    }

    private static OpsctlException noSuchRun(String id) {
        return OpsctlException.usage("no run '" + id + "'; see 'opsctl runs list'");
    }
}
