package dev.opsctl.app;

import dev.opsctl.engine.execute.HostHooks;
import dev.opsctl.engine.execute.HostResume;
import dev.opsctl.engine.execute.OwedRollbackAll;
import dev.opsctl.engine.execute.Masks;
import dev.opsctl.engine.execute.ParamText;
import dev.opsctl.engine.execute.RunEngine;
import dev.opsctl.engine.execute.RunInput;
import dev.opsctl.engine.execute.RunOptions;
import dev.opsctl.engine.execute.RunOutcome;
import dev.opsctl.engine.execute.Sleeper;
import dev.opsctl.engine.execute.TargetProvider;
import dev.opsctl.engine.trigger.TriggerHooks;
import dev.opsctl.engine.journal.GatePass;
import dev.opsctl.engine.journal.HostRecord;
import dev.opsctl.engine.journal.JournalWriter;
import dev.opsctl.engine.journal.RunHeader;
import dev.opsctl.engine.journal.RunLock;
import dev.opsctl.engine.journal.RunLockedException;
import dev.opsctl.engine.journal.RunStore;
import dev.opsctl.engine.plan.HostBatch;
import dev.opsctl.event.EventBus;
import dev.opsctl.event.EventSink;
import dev.opsctl.inventory.Connection;
import dev.opsctl.report.NotifySink;
import dev.opsctl.inventory.Host;
import dev.opsctl.runbook.model.Runbook;
import dev.opsctl.source.Secret;
import dev.opsctl.target.ClusterLock;
import dev.opsctl.target.Target;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.container.PlacedTarget;
import dev.opsctl.target.kube.KubeClusters;
import dev.opsctl.event.RunEvent;
import java.time.Duration;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/** The machinery a fresh run and a resume share: lock, run directory, journal, engine. */
final class Execution {
    /**
     * One run to execute; {@code header} is journaled as run-started, or run-resumed when {@code resumed}.
     * {@code passedGates}: gates this run already passed (a resume does not ask them again).
     */
    record Job(Runbook runbook, List<HostBatch> batches, Map<String, Object> params, RunHeader header, RunOptions options,
            Map<String, HostResume> resume, GateAnswers answers, ClusterOptions cluster, List<RunNotifiers.Hook> hooks,
            Set<GatePass> passedGates, Optional<OwedRollbackAll> rollbackAll) {
        Job(Runbook runbook, List<HostBatch> batches, Map<String, Object> params, RunHeader header, RunOptions options,
                Map<String, HostResume> resume, GateAnswers answers, ClusterOptions cluster, List<RunNotifiers.Hook> hooks,
                Set<GatePass> passedGates) {
            this(runbook, batches, params, header, options, resume, answers, cluster, hooks, passedGates, Optional.empty());
        }

        /** A resume or a rollback: the cluster options the run started with, no webhooks. */
        Job(Runbook runbook, List<HostBatch> batches, Map<String, Object> params, RunHeader header, RunOptions options,
                Map<String, HostResume> resume, GateAnswers answers, Set<GatePass> passedGates) {
            this(runbook, batches, params, header, options, resume, answers, ClusterOptions.fromHeader(header.options()), List.of(),
                    passedGates);
        }

        Job(Runbook runbook, List<HostBatch> batches, Map<String, Object> params, RunHeader header, RunOptions options,
                Map<String, HostResume> resume, GateAnswers answers) {
            this(runbook, batches, params, header, options, resume, answers, Set.of());
        }

        Job(Runbook runbook, List<HostBatch> batches, Map<String, Object> params, RunHeader header, RunOptions options,
                Map<String, HostResume> resume) {
            this(runbook, batches, params, header, options, resume, GateAnswers.NONE);
        }
    }

    private final Env env;
    private final TargetProvider targets;
    private final HostHooks hooks;
    private final Sleeper sleeper;
    private final Prompter prompter;
    private final GateSetup gates;
    private final KubeClusters clusters;
    private final Duration leaseDuration;

    Execution(Env env, TargetProvider targets, HostHooks hooks, Sleeper sleeper, Prompter prompter, GateSetup gates,
            KubeClusters clusters, Duration leaseDuration) {
        this.clusters = clusters;
        this.leaseDuration = leaseDuration;
        this.env = env;
        this.targets = targets;
        this.hooks = hooks;
        this.sleeper = sleeper;
        this.prompter = prompter;
        this.gates = gates;
    }

    /**
     * What must still hold once the run lock is taken, before anything runs or is journaled. A resume
     * plans from the journal before it can take the lock (it may ask the operator meanwhile), so it
     * checks here that nobody appended to the journal in between.
     */
    @FunctionalInterface
    interface UnderLock {
        UnderLock NOTHING = () -> {};

        void verify() throws OpsctlException;
    }

    int execute(Job job, EventSink sink) throws OpsctlException {
        return execute(job, UnderLock.NOTHING, sink);
    }

    int execute(Job job, UnderLock check, EventSink sink) throws OpsctlException {
        return journaled(job, check, sink, RunEngine::run);
    }

    /** {@code runs rollback}: the rollback steps for {@code hosts}, appended to the run's journal. */
    int rollback(Job job, List<Host> hosts, UnderLock check, EventSink sink) throws OpsctlException {
        return journaled(job, check, sink, (engine, in) -> engine.rollback(in, hosts));
    }

    private int journaled(Job job, UnderLock check, EventSink sink, BiFunction<RunEngine, RunInput, RunOutcome> what)
            throws OpsctlException {
        RunOptions o = job.options();
        if (o.dryRun()) {
            EventBus bus = new EventBus().subscribe(sink);
            // a dry run changes nothing: nobody needs to be told
            return what.apply(engine(job, bus, Optional.empty()), input(job, Optional.empty())).exitCode();
        }
        RunStore store = new RunStore(env.stateDir());
        List<String> hostNames = job.header().hostNames();
        RunLock.Holder me = new RunLock.Holder(o.runId(), job.header().pid(), o.operator(), job.header().controller(),
                env.clock().instant());
        Optional<ClusterLease.Taken> lease = Optional.empty();
        // a resume or rollback takes its run's own lock too: two of them on different hosts would both append to the journal
        Optional<Path> resumedRun = o.resumed() ? Optional.of(store.runDir(o.runId())) : Optional.empty();
        try (RunLock lock = RunLock.acquire(store.locksDir(), lockNames(job, store), hostNames, resumedRun, me)) {
            check.verify();
            lease = lease(job);
            store.createRunDir(o.runId());
            try (JournalWriter journal = JournalWriter.open(store.runDir(o.runId()), Masks.forRun(job.params(), o.sudoPassword()))) {
                // report.md / report.html are written into the run dir once the run finished (never fails the run)
                dev.opsctl.report.ReportWriter report = new dev.opsctl.report.ReportWriter(store::runDir, env.clock().getZone(),
                        warning -> sink.accept(new dev.opsctl.event.RunEvent.Notice(o.runId(), env.clock().instant(), "warning", "",
                                warning)));
                if (o.resumed()) {
                    journal.resumed(job.header()); // the report reads the journal back: it holds records from before this process
                } else {
                    journal.observe(report.liveRecords());
                    journal.started(job.header());
                }
                EventBus bus = new EventBus().subscribe(journal).subscribe(sink).subscribe(report);
                lease.ifPresent(t -> bus.accept(new RunEvent.Notice(o.runId(), env.clock().instant(), "info", "", "cluster lock '"
                        + t.handle().name() + "' taken in namespace '" + t.namespace() + "' of " + t.cluster() + " as '"
                        + t.handle().identity() + "'")));
                try {
                    return notified(job, bus, lease, what);
                } finally {
                    lease.ifPresent(t -> {
                        Optional<String> unreleased = ClusterLease.release(t, job.runbook().name());
                        bus.accept(new RunEvent.Notice(o.runId(), env.clock().instant(), unreleased.isEmpty() ? "info" : "warning", "",
                                unreleased.orElse("cluster lock '" + t.handle().name() + "' released")));
                    });
                }
            }
        } catch (RunLockedException e) {
            throw OpsctlException.refused(e.getMessage());
        } catch (IOException e) {
            throw OpsctlException.refused("cannot write run state under '" + store.stateDir() + "': " + e.getMessage());
        } finally {
            // released above once the journal is open; this covers a failure before that (closing twice is harmless)
            lease.ifPresent(t -> t.handle().close());
        }
    }

    /** The runbook's name, and for a resume or rollback every name the run ran as (its runbook may have been renamed since). */
    private static Set<String> lockNames(Job job, RunStore store) throws IOException {
        Set<String> names = new java.util.TreeSet<>();
        names.add(job.runbook().name());
        if (job.options().resumed()) {
            store.find(job.options().runId()).ifPresent(state -> names.addAll(state.runbookNames()));
        }
        return names;
    }

    /** Runs with the job's webhooks subscribed; they are closed (their last posts waited for) while the journal is still open. */
    private int notified(Job job, EventBus bus, Optional<ClusterLease.Taken> lease, BiFunction<RunEngine, RunInput, RunOutcome> what) {
        List<NotifySink> notifiers = RunNotifiers.open(job.hooks(), job.options().runId(), env.clock(), bus);
        notifiers.forEach(bus::subscribe);
        try {
            return what.apply(engine(job, bus, lease), input(job, lease)).exitCode();
        } finally {
            notifiers.forEach(NotifySink::close);
        }
    }

    /** The cluster lock, when the run touches a cluster; refused with exit 6 while another run holds it. */
    private Optional<ClusterLease.Taken> lease(Job job) throws OpsctlException {
        if (!ClusterLease.touchesCluster(job.runbook(), job.cluster())) {
            return Optional.empty();
        }
        String identity = ClusterLock.identity(job.options().operator(), job.header().controller(), job.options().runId());
        try {
            return Optional.of(new ClusterLease(clusters, env.clock(), leaseDuration).take(job.runbook(), job.cluster(), identity));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw OpsctlException.refused("interrupted while taking the cluster lock; nothing was run");
        }
    }

    /** The hosts' targets, their containers placed on the run's backend when it is not the hosts' own Docker daemons. */
    private TargetProvider targets(Job job) {
        if (!job.cluster().kubernetes()) {
            return targets;
        }
        ClusterOptions c = job.cluster();
        PlacedTarget.Opener pods = () -> clusters.containers(c.context(), c.namespace());
        String name = c.backend().label();
        return new TargetProvider() {
            @Override
            public Target open(Host host) throws TargetException {
                return new PlacedTarget(targets.open(host), name, pods);
            }

            @Override
            public Target controller(Host forHost) throws TargetException {
                return new PlacedTarget(targets.controller(forHost), name, pods);
            }
        };
    }

    /**
     * The engine for one run: the app's hooks, the runbook's gates, then its triggers (not in a dry run); ask/pause
     * through the prompter.
     */
    private RunEngine engine(Job job, EventBus bus, Optional<ClusterLease.Taken> lease) {
        UnaryOperator<String> mask = Masks.forRun(job.params(), job.options().sudoPassword());
        TargetProvider targets = targets(job);
        List<HostHooks> chain = new java.util.ArrayList<>(List.of(hooks));
        lease.ifPresent(t -> chain.add(ClusterLease.guard(t)));
        chain.add(gateHooks(job, bus, mask, targets, lease));
        // a dry run changes nothing, so what the probes see says nothing about the change, and nothing is rolled back
        if (!job.options().dryRun()) {
            chain.add(new TriggerHooks(job.runbook().triggers(), env.clock(), sleeper, bus, mask));
        }
        HostHooks all = HostHooks.all(chain);
        return new RunEngine(targets, bus, all, env.clock(), sleeper, new PrompterOperator(prompter, env.interactive()));
    }

    private HostHooks gateHooks(Job job, EventBus bus, UnaryOperator<String> mask, TargetProvider targets,
            Optional<ClusterLease.Taken> lease) {
        if (job.runbook().gates().byPhase().isEmpty() || job.options().dryRun()) {
            return HostHooks.NONE;
        }
        Map<String, Host> byName = new LinkedHashMap<>();
        job.batches().forEach(b -> b.hosts().forEach(h -> byName.put(h.name(), h)));
        TargetProbeRunner probes = new TargetProbeRunner(env.clock(), sleeper::sleep, name -> {
            Host h = byName.get(name);
            return h == null ? Optional.empty() : Optional.of(targets.open(h));
        });
        Path runDir = new RunStore(env.stateDir()).runDir(job.options().runId());
        return new GateHooks(job.runbook().gates(), gates.checklists(job.runbook()), probes, job.answers(), gates.interactive(),
                job.params(), HostFields.of(List.copyOf(byName.values())), job.options().operator(), new Approvals(runDir), bus, env.clock(),
                sleeper::sleep, mask, job.options().runId(), job.passedGates(),
                job.cluster().runFields(lease.map(ClusterLease.Taken::namespace)));
    }

    /** With the run's container backend as {@code run.backend}, {@code run.namespace} (the lock's when it was resolved) and {@code run.context}. */
    private static RunInput input(Job job, Optional<ClusterLease.Taken> lease) {
        RunOptions o = job.options().withRunFields(job.cluster().runFields(lease.map(ClusterLease.Taken::namespace)));
        return new RunInput(job.runbook(), job.batches(), job.params(), o, job.resume(), job.rollbackAll());
    }

    /** The journal's record of how a run was started (params masked). */
    static RunHeader header(String runId, Runbook rb, Map<String, Object> params, Optional<String> inventory,
            List<Host> hosts, List<String> limit, Map<String, Object> options, String operator, Instant started) {
        Map<String, String> shown = new LinkedHashMap<>();
        params.forEach((k, v) -> shown.put(k, v instanceof Secret ? Secret.MASK : ParamText.format(v)));
        return new RunHeader(runId, rb.name(), rb.file().toAbsolutePath().toString(), rb.digest(), shown, inventory,
                hosts.stream().map(HostRecord::of).toList(), limit, options, operator, controllerName(),
                ProcessHandle.current().pid(), started);
    }

    /**
     * This machine's name as the kernel has it. Not InetAddress.getLocalHost(): that resolves the name, and on a
     * machine whose name is in no hosts file and whose DNS is unreachable every run would wait for the resolver.
     */
    private static String controllerName() {
        try {
            String name = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException e) {
            // not Linux: fall through
        }
        return Optional.ofNullable(System.getenv("HOSTNAME")).filter(h -> !h.isBlank()).orElse("localhost");
    }
}
