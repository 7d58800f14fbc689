package dev.opsctl.app;

import dev.opsctl.checklist.Checklist;
import dev.opsctl.checklist.run.Answer;
import dev.opsctl.checklist.run.AnswersReader;
import dev.opsctl.checklist.run.ChecklistPrompter;
import dev.opsctl.checklist.run.ChecklistResult;
import dev.opsctl.checklist.run.ChecklistRun;
import dev.opsctl.checklist.run.ChecklistRunner;
import dev.opsctl.checklist.run.ItemResult;
import dev.opsctl.checklist.run.ItemStatus;
import dev.opsctl.checklist.run.ParamValues;
import dev.opsctl.checklist.run.PresetAnswers;
import dev.opsctl.checklist.run.ProbeRunner;
import dev.opsctl.checklist.run.Sleeper;
import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.execute.HookVerdict;
import dev.opsctl.engine.execute.HostHooks;
import dev.opsctl.engine.execute.HostRun;
import dev.opsctl.event.EventSink;
import dev.opsctl.event.RunEvent;
import dev.opsctl.engine.execute.ParamText;
import dev.opsctl.engine.journal.GatePass;
import dev.opsctl.report.ChecklistJson;
import dev.opsctl.runbook.model.GatePhase;
import dev.opsctl.runbook.model.GateRef;
import dev.opsctl.runbook.model.Gates;
import dev.opsctl.source.Problems;
import dev.opsctl.source.Secret;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A runbook's gates as host hooks: at each phase every named checklist runs (checked items by their
 * probes, manual items from {@code --confirm}, the answers file or the operator), every answer is
 * journaled with who, when and the evidence, and a checklist that did not pass stops the run with
 * exit 5. With {@code approvals: N}, a passed gate also needs N distinct operators: the run's own and
 * those who signed off with {@code opsctl runs approve}. A gate journaled as passed for this run (before
 * a crash or a halt) is not asked again when the run is resumed.
 */
final class GateHooks implements HostHooks {
    /** Loads a checklist by name; problems are the exception's message. */
    @FunctionalInterface
    interface ChecklistSource {
        Checklist load(String name) throws ChecklistException;
    }

    private final Gates gates;
    private final ChecklistSource checklists;
    private final ProbeRunner probes;
    private final GateAnswers answers;
    private final ChecklistPrompter interactive;
    private final Map<String, Object> params;
    private final List<String> hosts;
    private final Map<String, Map<String, Object>> hostFields;
    private final String operator;
    private final Approvals approvals;
    private final EventSink events;
    private final Clock clock;
    private final Sleeper sleeper;
    private final UnaryOperator<String> mask;
    private final String runId;
    private final Set<GatePass> passedBefore;
    private final Map<String, String> runFields;

    GateHooks(Gates gates, ChecklistSource checklists, ProbeRunner probes, GateAnswers answers, ChecklistPrompter interactive,
            Map<String, Object> params, Map<String, Map<String, Object>> hosts, String operator, Approvals approvals, EventSink events, Clock clock,
            Sleeper sleeper, UnaryOperator<String> mask, String runId, Set<GatePass> passedBefore) {
        this(gates, checklists, probes, answers, interactive, params, hosts, operator, approvals, events, clock, sleeper, mask, runId,
                passedBefore, Map.of());
    }

    /** {@code runFields}: the run's {@code run.backend}, {@code run.namespace} and {@code run.context}, seen by every gate's items. */
    GateHooks(Gates gates, ChecklistSource checklists, ProbeRunner probes, GateAnswers answers, ChecklistPrompter interactive,
            Map<String, Object> params, Map<String, Map<String, Object>> hosts, String operator, Approvals approvals, EventSink events, Clock clock,
            Sleeper sleeper, UnaryOperator<String> mask, String runId, Set<GatePass> passedBefore, Map<String, String> runFields) {
        this.runFields = Map.copyOf(runFields);
        this.gates = gates;
        this.checklists = checklists;
        this.probes = probes;
        this.answers = answers;
        this.interactive = interactive;
        this.params = Map.copyOf(params);
        this.hosts = List.copyOf(hosts.keySet());
        this.hostFields = Map.copyOf(hosts);
        this.operator = operator;
        this.approvals = approvals;
        this.events = events;
        this.clock = clock;
        this.sleeper = sleeper;
        this.mask = mask;
        this.runId = runId;
        this.passedBefore = Set.copyOf(passedBefore);
    }

    @Override
    public HookVerdict beforeRun(String id) throws InterruptedException {
        return evaluate(GatePhase.BEFORE_RUN, hosts, "");
    }

    @Override
    public HookVerdict beforeHost(HostRun host) throws InterruptedException {
        return evaluate(GatePhase.BEFORE_HOST, List.of(host.host().name()), host.host().name());
    }

    @Override
    public HookVerdict afterHost(HostRun host, String status) throws InterruptedException {
        if (!status.equals("ok")) {
            return HookVerdict.CONTINUE;
        }
        return evaluate(GatePhase.AFTER_HOST, List.of(host.host().name()), host.host().name());
    }

    @Override
    public HookVerdict afterRun(String id) throws InterruptedException {
        return evaluate(GatePhase.AFTER_RUN, hosts, "");
    }

    private HookVerdict evaluate(GatePhase phase, List<String> on, String host) throws InterruptedException {
        for (GateRef ref : gates.at(phase)) {
            HookVerdict v = evaluate(phase, ref, on, host);
            if (!v.proceed()) {
                return v;
            }
        }
        return HookVerdict.CONTINUE;
    }

    private HookVerdict evaluate(GatePhase phase, GateRef ref, List<String> on, String host) throws InterruptedException {
        String where = "gate " + phase.yamlName() + " '" + ref.checklist() + "'" + (host.isEmpty() ? "" : " on host '" + host + "'");
        if (passedBefore.contains(new GatePass(phase.yamlName(), ref.checklist(), host))) {
            events.accept(new RunEvent.Notice(runId, clock.instant(), "info", host, where + " passed earlier in this run; not asked again"));
            return HookVerdict.CONTINUE;
        }
        Checklist checklist;
        Problems problems = new Problems();
        Map<String, Answer> preset = new LinkedHashMap<>();
        Map<String, Object> values;
        try {
            checklist = checklists.load(ref.checklist());
            values = ParamValues.resolve(checklist, given(checklist), Map.of(), problems);
            answers.answersFile().ifPresent(f -> preset.putAll(AnswersReader.read(f, checklist, otherGatesItems(checklist), problems)));
            preset.putAll(PresetAnswers.confirmations(applicable(answers.confirms(), checklist)));
        } catch (ChecklistException e) {
            return stop(where + " cannot run: " + e.getMessage());
        }
        if (problems.hasErrors()) {
            return stop(where + " cannot run: " + problems.render().stripTrailing());
        }
        ChecklistRunner runner = new ChecklistRunner(probes, new PresetAnswers(preset, interactive), clock, sleeper);
        ChecklistResult result = runner.run(checklist, new ChecklistRun(on, values, Map.of(), operator, hostFields, runFields));
        Set<String> signedOff = new java.util.LinkedHashSet<>();
        signedOff.add(operator);
        signedOff.addAll(approvals.operators());
        boolean enoughApprovals = signedOff.size() >= gates.approvals();
        boolean passed = result.passed() && enoughApprovals;
        events.accept(new RunEvent.GateEvaluated(runId, clock.instant(), phase.yamlName(), ref.checklist(), host, passed,
                masked(ChecklistJson.items(result))));
        if (!result.passed()) {
            return stop(where + " not passed: " + summary(result) + hint(result));
        }
        if (!enoughApprovals) {
            return stop(where + " needs " + gates.approvals() + " approvals from different operators, has " + signedOff.size()
                    + " (" + String.join(", ", signedOff) + "); another operator signs off with 'opsctl runs approve " + runId
                    + " --operator NAME', then 'opsctl runs resume " + runId + "' continues");
        }
        return HookVerdict.CONTINUE;
    }

    private static HookVerdict stop(String reason) {
        return HookVerdict.stop("gate_failed", ExitCodes.GATE_FAILED, true, reason);
    }

    /** The run's params that the checklist declares too, as text (secrets revealed only to the checklist's own params). */
    private Map<String, String> given(Checklist checklist) {
        Map<String, String> out = new LinkedHashMap<>();
        checklist.params().forEach(p -> {
            Object v = params.get(p.name());
            if (v != null) {
                out.put(p.name(), v instanceof Secret s ? s.reveal() : ParamText.format(v));
            }
        });
        return out;
    }

    /** {@code --confirm} keys meant for this checklist (a run may have several gates). */
    /** The item ids of the run's other gate checklists: one answers file answers every gate of the run. */
    private Set<String> otherGatesItems(Checklist current) {
        Set<String> ids = new java.util.HashSet<>();
        for (List<GateRef> refs : gates.byPhase().values()) {
            for (GateRef r : refs) {
                if (r.checklist().equals(current.name())) {
                    continue;
                }
                try {
                    checklists.load(r.checklist()).items().forEach(i -> ids.add(i.id()));
                } catch (ChecklistException e) {
                    // said when that gate runs
                }
            }
        }
        return ids;
    }

    private static List<String> applicable(List<String> confirms, Checklist checklist) {
        Set<String> ids = new java.util.HashSet<>();
        checklist.items().forEach(i -> ids.add(i.id()));
        return confirms.stream().filter(k -> ids.contains(k.contains("@") ? k.substring(0, k.indexOf('@')) : k)).toList();
    }

    private static String summary(ChecklistResult r) {
        List<String> parts = new ArrayList<>();
        for (ItemStatus s : List.of(ItemStatus.FAILED, ItemStatus.UNANSWERED)) {
            List<String> keys = r.items().stream().filter(i -> i.status() == s).map(ItemResult::key).toList();
            if (!keys.isEmpty()) {
                parts.add(keys.size() + " " + s.label() + " (" + String.join(", ", keys) + ")");
            }
        }
        return String.join("; ", parts);
    }

    private static String hint(ChecklistResult r) {
        boolean unanswered = r.items().stream().anyMatch(i -> i.status() == ItemStatus.UNANSWERED);
        return unanswered ? "; answer manual items with --confirm ID or --answers FILE, or run on a terminal" : "";
    }

    private List<Map<String, Object>> masked(List<Map<String, Object>> items) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> m : items) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put(k, v instanceof String s ? mask.apply(s) : v));
            out.add(copy);
        }
        return out;
    }
}
