package dev.opsctl.app;

import dev.opsctl.action.ActionRegistry;
import dev.opsctl.checklist.Checklist;
import dev.opsctl.checklist.load.ChecklistLoadResult;
import dev.opsctl.checklist.load.ChecklistLoader;
import dev.opsctl.checklist.run.Answer;
import dev.opsctl.checklist.run.AnswersReader;
import dev.opsctl.checklist.run.ChecklistPrompter;
import dev.opsctl.checklist.run.ChecklistResult;
import dev.opsctl.checklist.run.ChecklistRun;
import dev.opsctl.checklist.run.ChecklistRunner;
import dev.opsctl.checklist.run.ParamValues;
import dev.opsctl.checklist.run.PresetAnswers;
import dev.opsctl.checklist.run.ProbeRunner;
import dev.opsctl.checklist.run.Sleeper;
import dev.opsctl.engine.execute.TargetProvider;
import dev.opsctl.inventory.Host;
import dev.opsctl.source.Problems;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The checklist use cases: list the shipped checklists, load one, run one. Never prints. */
public final class ChecklistService {
    /** One checklist on the path: its title and description, or why it does not load. */
    public record Entry(String name, Path file, String title, String description, Optional<String> problem) {}

    private final ChecklistPath path;
    private final ChecklistLoader loader;
    private final HostResolver hosts;
    private final ProbeRunner probes;
    private final Clock clock;
    private final Sleeper sleeper;

    public ChecklistService(ChecklistPath path, ActionRegistry registry, HostResolver hosts, ProbeRunner probes, Clock clock,
            Sleeper sleeper) {
        this.path = path;
        this.loader = new ChecklistLoader(registry);
        this.hosts = hosts;
        this.probes = probes;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Local probes, real time, {@code localhost} as the only host: usable before the engine is wired in. */
    public static ChecklistService local(ChecklistPath path, ActionRegistry registry) {
        Clock clock = Clock.systemDefaultZone();
        return new ChecklistService(path, registry, HostResolver.LOCAL_ONLY, new TargetProbeRunner(clock, Sleeper.REAL), clock,
                Sleeper.REAL);
    }

    /**
     * Local probes and real time, hosts from {@code -i INVENTORY}: host items' probes run on each host's own
     * target, opened by {@code targets}, and see the inventory's {@code host.address}, port, user...
     */
    public static ChecklistService withInventories(ChecklistPath path, ActionRegistry registry, InventorySource inventories,
            TargetProvider.HostsOnly targets) {
        Clock clock = Clock.systemDefaultZone();
        Map<String, Host> known = new ConcurrentHashMap<>();
        HostResolver fromInventory = HostResolver.inventories(inventories);
        HostResolver remembered = (inventory, limit) -> {
            List<Host> hosts = fromInventory.hosts(inventory, limit);
            hosts.forEach(h -> known.put(h.name(), h));
            return hosts;
        };
        TargetProbeRunner.Lookup lookup = name -> {
            Host h = known.get(name);
            return h == null ? Optional.empty() : Optional.of(targets.open(h));
        };
        return new ChecklistService(path, registry, remembered, new TargetProbeRunner(clock, Sleeper.REAL, lookup), clock, Sleeper.REAL);
    }

    public ChecklistPath path() {
        return path;
    }

    public List<Entry> list() {
        List<Entry> out = new ArrayList<>();
        path.all().forEach((name, file) -> {
            ChecklistLoadResult r = loader.load(file);
            out.add(r.checklist()
                    .map(c -> new Entry(name, file, c.displayTitle(), c.description(), Optional.empty()))
                    .orElseGet(() -> new Entry(name, file, "", "", Optional.of(r.problems().sorted().get(0).headline()))));
        });
        return out;
    }

    /** The checklist named {@code name} (or at a path ending in .yaml), loaded; problems are the exception's message. */
    public Checklist load(String name) throws ChecklistException {
        Path file = resolve(name);
        ChecklistLoadResult r = loader.load(file);
        if (!r.ok()) {
            throw new ChecklistException(r.problems().render().stripTrailing(), "");
        }
        return r.checklist().orElseThrow();
    }

    /**
     * Runs a checklist: manual items answered from {@code --confirm} and the answers file first, then by
     * {@code interactive} ({@link ChecklistPrompter#NONE} when nobody is at a terminal: they fail closed).
     */
    public ChecklistResult run(ChecklistRequest request, ChecklistPrompter interactive) throws ChecklistException, InterruptedException {
        Checklist checklist = load(request.name());
        Problems problems = new Problems();
        Map<String, Object> params = ParamValues.resolve(checklist, request.params(), request.env(), problems);
        AnswersReader.checkKeys(request.confirms(), checklist, problems);
        Map<String, Answer> answers = new LinkedHashMap<>();
        request.answers().ifPresent(f -> answers.putAll(AnswersReader.read(f, checklist, problems)));
        answers.putAll(PresetAnswers.confirmations(request.confirms()));
        if (problems.hasErrors()) {
            throw new ChecklistException(problems.render().stripTrailing(), "");
        }
        Map<String, String> runFields;
        try {
            // CONTAINER_BACKEND, as for 'opsctl run': the items a shell's runs would check are the ones checked by hand
            runFields = ClusterOptions.resolve(Optional.empty(), request.env(), Optional.empty(), Optional.empty()).runFields(Optional.empty());
        } catch (OpsctlException e) {
            throw new ChecklistException(e.getMessage().replace("\n  fix: ", "; "), "");
        }
        List<Host> targets = hosts.hosts(request.inventory(), request.limit());
        ChecklistRunner runner = new ChecklistRunner(probes, new PresetAnswers(answers, interactive), clock, sleeper);
        return runner.run(checklist, new ChecklistRun(targets.stream().map(Host::name).toList(), params, Map.of(), request.operator(),
                HostFields.of(targets), runFields));
    }

    private Path resolve(String name) throws ChecklistException {
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return Path.of(name);
        }
        return path.find(name).orElseThrow(() -> new ChecklistException("no checklist named '" + name + "' in " + path.describe(),
                "'opsctl checklist list' shows the checklists there are"));
    }
}
