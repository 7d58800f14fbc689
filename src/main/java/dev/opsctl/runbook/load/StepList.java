package dev.opsctl.runbook.load;

import dev.opsctl.runbook.model.Step;
import dev.opsctl.source.ScalarNode;
import dev.opsctl.source.SourcePos;
import dev.opsctl.template.Condition;
import dev.opsctl.template.TemplateException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The steps and rollback steps of a runbook: ids unique across both, and each step read with the
 * scope it runs in. A step sees the results and registered names of the steps before it; rollback
 * steps and triggers see every step, but a rollback step reads what a main step leaves only through
 * {@code default(...)} or below a path its {@code when} requires: the rollback may start before that
 * step ran. The same holds for what a rollback step that may have been skipped or failed registered,
 * beyond the fields every result has.
 */
final class StepList {
    private final LoadContext lc;
    private final StepReader reader;
    private final Set<String> params;
    private final Set<String> allIds = new LinkedHashSet<>();
    private final Set<String> allRegistered = new LinkedHashSet<>();
    /** What the rollback starts from: the main steps' ids and registered names (a rollback step sees those of the rollback steps before it). */
    private final Set<String> mainIds = new LinkedHashSet<>();
    private final Set<String> mainRegistered = new LinkedHashSet<>();
    /** What the main steps leave for the rollback (registered names, {@code steps.<id>}), and why it may be missing. */
    private final Map<String, String> leftByMainSteps = new HashMap<>();

    private static final String EARLY_ROLLBACK =
            ", and a rollback can start before that step ran (an earlier step failed, a trigger fired, or 'opsctl runs rollback')";
    private static final String PARTLY_RECORDED = ", and a rollback step skipped by its 'when' or failed with ignore_errors is recorded"
            + " with only " + String.join(", ", new TreeSet<>(VarScope.RESULT_FIELDS));

    StepList(LoadContext lc, Set<String> params, List<StepDraft> steps, List<StepDraft> rollback) {
        this.lc = lc;
        this.reader = new StepReader(lc);
        this.params = params;
        Map<String, SourcePos> first = new HashMap<>();
        List<StepDraft> all = new ArrayList<>(steps);
        all.addAll(rollback);
        for (StepDraft d : steps) {
            if (!d.includeStep()) {
                StepReader.registerOf(d).ifPresent(name -> leftByMainSteps.putIfAbsent(name, "step '" + d.id() + "' registers it" + EARLY_ROLLBACK));
                leftByMainSteps.putIfAbsent("steps." + d.id(), "it is the result of step '" + d.id() + "'" + EARLY_ROLLBACK);
            } else if (d.node().entries().containsKey("id")) {
                // an include's own id has no result: steps.<include>.x is no surer than its steps
                leftByMainSteps.putIfAbsent("steps." + d.id(), "it is the result of step '" + d.id() + "'" + EARLY_ROLLBACK);
            }
        }
        for (int i = 0; i < all.size(); i++) {
            StepDraft d = all.get(i);
            boolean main = i < steps.size();
            StepReader.registerOf(d).ifPresent(allRegistered::add);
            if (main) {
                StepReader.registerOf(d).ifPresent(mainRegistered::add);
            }
            if (d.includeStep() && !d.node().entries().containsKey("id")) {
                continue;
            }
            SourcePos pos = d.node().entry("id").map(e -> e.value().pos()).orElse(d.node().pos());
            SourcePos earlier = first.putIfAbsent(d.id(), pos);
            if (earlier != null) {
                String where = earlier.file().equals(pos.file()) ? "line " + earlier.line() : earlier.toString();
                lc.problems.error(pos, "duplicate step id '" + d.id() + "' (first at " + where + ")", "give every step its own id");
            }
            allIds.add(d.id());
            if (main) {
                mainIds.add(d.id());
            }
        }
    }

    /** Reads drafts in order; main steps see the steps before them, rollback steps every main step and the rollback steps before them. */
    List<Step> read(List<StepDraft> drafts, boolean rollback) {
        List<Step> out = new ArrayList<>();
        Set<String> visible = new LinkedHashSet<>(rollback ? mainIds : Set.of());
        Set<String> registered = new LinkedHashSet<>(rollback ? mainRegistered : Set.of());
        // A rollback stops at its first failed step, so the rollback steps before this one all ended:
        // what they registered is there, in full if they succeeded, else as the fields every result has.
        Set<String> setByRollback = new LinkedHashSet<>();
        Map<String, String> partlySetByRollback = new HashMap<>();
        Map<String, String> rollbackIncludes = new HashMap<>();
        for (StepDraft d : drafts) {
            VarScope scope = new VarScope(params, visible, allIds, registered, Set.of(), false);
            if (rollback) {
                Map<String, String> unsure = new HashMap<>(leftByMainSteps);
                unsure.keySet().removeAll(setByRollback);
                unsure.putAll(partlySetByRollback);
                unsure.putAll(rollbackIncludes);
                Set<List<String>> guards = guardsOf(d);
                partlySetByRollback.keySet().forEach(name -> guards.add(List.of(name.split("\\."))));
                scope = scope.inRollback(unsure, guards);
            }
            Optional<Step> step = reader.read(d, scope);
            step.ifPresent(out::add);
            if (rollback && d.includeStep() && d.node().entries().containsKey("id")) {
                visible.add(d.id());
                rollbackIncludes.put("steps." + d.id(), "'" + d.id() + "' is an include, which has no result of its own (its steps have one: steps."
                        + d.id() + ".<step>)");
            }
            if (!d.includeStep()) {
                visible.add(d.id());
                StepReader.registerOf(d).ifPresent(registered::add);
                if (rollback) {
                    // a step that did not load has its own error: no second one here
                    boolean sure = step.map(s -> s.when().isEmpty() && !s.ignoreErrors()).orElse(true);
                    List<String> names = new ArrayList<>(List.of("steps." + d.id()));
                    StepReader.registerOf(d).ifPresent(names::add);
                    for (String name : names) {
                        if (sure) {
                            setByRollback.add(name);
                            partlySetByRollback.remove(name);
                        } else {
                            partlySetByRollback.put(name, (name.startsWith("steps.") ? "it is the result of rollback step '" + d.id() + "'"
                                    : "rollback step '" + d.id() + "' registers it") + PARTLY_RECORDED);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The paths a rollback step's {@code when} requires to exist ({@code default(backup.path, false)}): reads below them are safe. */
    private static Set<List<String>> guardsOf(StepDraft d) {
        Set<List<String>> guards = new LinkedHashSet<>();
        d.node().get("when").filter(n -> n instanceof ScalarNode).map(n -> ((ScalarNode) n).text()).ifPresent(text -> {
            try {
                Condition.parse(text).requiredToExist().forEach(ref -> guards.add(ref.path()));
            } catch (TemplateException e) {
                // reported where the condition is checked
            }
        });
        return guards;
    }

    /** What triggers see: every step and every registered name. */
    VarScope afterAll() {
        return new VarScope(params, allIds, allIds, allRegistered, Set.of(), false);
    }
}
