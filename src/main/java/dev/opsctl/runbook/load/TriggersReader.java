package dev.opsctl.runbook.load;

import dev.opsctl.action.ActionType;
import dev.opsctl.action.Invocation;
import dev.opsctl.runbook.model.Trigger;
import dev.opsctl.runbook.model.TriggerAction;
import dev.opsctl.source.MapNode;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import dev.opsctl.source.ScalarNode;
import dev.opsctl.source.SeqNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code triggers:}: a step failure ({@code when: {step: id, failed: true, class: exit}}) or a probe with a
 * condition on its result ({@code probe: {http: {...}}, when: "status >= 500"}), and what to do when it fires.
 */
final class TriggersReader {
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    private static final List<String> CLASSES = List.of("exit", "timeout", "unreachable", "connection_lost");
    private final LoadContext lc;
    private final Path baseDir;

    TriggersReader(LoadContext lc, Path baseDir) {
        this.lc = lc;
        this.baseDir = baseDir;
    }

    List<Trigger> read(Node node, VarScope scope) {
        if (!(node instanceof SeqNode seq)) {
            lc.problems.error(node.pos(), "'triggers' must be a list, not " + node.describe(), "write each trigger as '- name: ...'");
            return List.of();
        }
        List<Trigger> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Node item : seq.items()) {
            MapReader.of(item, "a trigger", lc.problems).flatMap(r -> trigger(r, scope, seen)).ifPresent(out::add);
        }
        return out;
    }

    private Optional<Trigger> trigger(MapReader r, VarScope scope, Map<String, Integer> seen) {
        String name = r.requiredString("name", "every trigger needs a name, shown when it fires");
        r.node("name").ifPresent(n -> {
            Integer first = seen.putIfAbsent(name, n.pos().line());
            if (first != null) {
                lc.problems.error(n.pos(), "duplicate trigger name '" + name + "' (first at line " + first + ")");
            }
        });
        String what = "trigger '" + name + "'";
        Optional<ActionType<?>> probeType = Optional.empty();
        Optional<Invocation<?>> probe = Optional.empty();
        Optional<Node> probeNode = r.node("probe");
        if (probeNode.isPresent()) {
            probeType = probeType(probeNode.get(), what);
            probe = probeType.flatMap(t -> lc.parseAction(t, ((MapNode) probeNode.get()).get(t.name()).orElseThrow(),
                    lc.parseContext(baseDir, scope)));
            lc.checks.walk(probeNode.get(), scope, Set.of());
        }
        Optional<Trigger.StepFailure> onStep = Optional.empty();
        Optional<String> when = Optional.empty();
        Optional<Node> whenNode = r.node("when");
        if (whenNode.isEmpty()) {
            lc.problems.error(r.pos(), "missing required key 'when' in " + what,
                    "write when: {step: <id>, failed: true} or a probe with when: \"status >= 500\"");
        } else if (whenNode.get() instanceof MapNode m) {
            onStep = stepFailure(m, what, scope);
            if (probeNode.isPresent()) {
                lc.problems.error(m.pos(), "a probe's 'when' must be a condition on its result, like \"status >= 500\"");
            }
        } else if (whenNode.get() instanceof ScalarNode s && s.kind() == ScalarNode.Kind.STRING) {
            when = Optional.of(s.text());
            if (probeNode.isEmpty()) {
                lc.problems.error(s.pos(), "a condition in 'when' needs a probe in " + what,
                        "add probe: {http: {url: ...}}, or write when: {step: <id>, failed: true}");
            } else {
                lc.checks.condition(s.text(), s.pos(), StepReader.resultScope(scope, probeType).withExtra(Set.of(), probe.isEmpty()));
            }
        } else {
            lc.problems.error(whenNode.get().pos(), "'when' in " + what + " must be a mapping or a condition, not " + whenNode.get().describe());
        }
        Optional<String> after = r.string("after");
        after.filter(id -> !scope.allSteps().contains(id)).ifPresent(id -> lc.problems.error(r.node("after").orElseThrow().pos(),
                "unknown step '" + id + "' in 'after' of " + what, VarScope.hint(id, scope.allSteps(), "")));
        if (after.isPresent() && probeNode.isEmpty()) {
            lc.problems.error(r.keyPos("after"), "'after' applies only to a trigger with a probe",
                    "a step-failure trigger already names its step in 'when'");
        }
        Optional<Duration> forDuration = r.duration("for");
        Duration interval = r.duration("interval").orElse(DEFAULT_INTERVAL);
        if (interval.isZero()) {
            lc.problems.error(r.node("interval").orElseThrow().pos(), "'interval' in " + what + " must be longer than 0s");
        }
        int failureLimit = r.integer("failure_limit").orElse(1);
        if (failureLimit < 1) {
            lc.problems.error(r.node("failure_limit").orElseThrow().pos(), "'failure_limit' in " + what + " must be at least 1, not " + failureLimit);
        }
        Optional<TriggerAction> then = action(r, "then", what);
        if (!r.has("then")) {
            lc.problems.error(r.pos(), "missing required key 'then' in " + what, "write then: rollback (or rollback-all, halt, ask, pause)");
        }
        Optional<Duration> askTimeout = r.duration("ask_timeout");
        TriggerAction onTimeout = action(r, "on_timeout", what).orElse(TriggerAction.ROLLBACK);
        if (onTimeout == TriggerAction.ASK) {
            lc.problems.error(r.node("on_timeout").orElseThrow().pos(), "'on_timeout' cannot be 'ask'", "say what happens when nobody answers: rollback or halt");
        }
        if (then.isPresent() && then.get() != TriggerAction.ASK) {
            for (String key : List.of("ask_timeout", "on_timeout")) {
                r.node(key).ifPresent(n -> lc.problems.error(n.pos(), "'" + key + "' applies only to 'then: ask'"));
            }
        }
        r.finish();
        if (then.isEmpty() || (probeNode.isPresent() && probe.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(new Trigger(name, onStep, probe, when, forDuration, interval, failureLimit, then.get(), askTimeout, onTimeout,
                after, r.pos()));
    }

    /** The probe's single step-type key. */
    private Optional<ActionType<?>> probeType(Node node, String what) {
        Optional<MapReader> reader = MapReader.of(node, "'probe' in " + what, lc.problems);
        if (reader.isEmpty()) {
            return Optional.empty();
        }
        MapNode map = reader.get().node();
        if (map.entries().size() != 1) {
            lc.problems.error(map.pos(), "'probe' in " + what + " must have exactly one step type, not " + map.entries().size(),
                    "write probe: {http: {url: ...}}");
            return Optional.empty();
        }
        MapNode.Entry e = map.entries().values().iterator().next();
        Optional<ActionType<?>> type = lc.registry.find(e.key());
        if (type.isEmpty()) {
            lc.problems.error(e.keyPos(), "unknown step type '" + e.key() + "'", VarScope.hint(e.key(), lc.registry.names(), ""));
        }
        return type;
    }

    private Optional<Trigger.StepFailure> stepFailure(MapNode m, String what, VarScope scope) {
        MapReader r = MapReader.of(m, "'when' in " + what, lc.problems).orElseThrow();
        Optional<String> step = r.string("step");
        step.filter(id -> !scope.allSteps().contains(id)).ifPresent(id -> lc.problems.error(r.node("step").orElseThrow().pos(),
                "unknown step '" + id + "' in " + what, VarScope.hint(id, scope.allSteps(), "")));
        r.bool("failed").filter(f -> !f).ifPresent(f -> lc.problems.error(r.node("failed").orElseThrow().pos(),
                "only 'failed: true' is supported", "a trigger fires when a step fails"));
        Optional<String> failureClass = r.string("class");
        failureClass.filter(c -> !CLASSES.contains(c)).ifPresent(c -> lc.problems.error(r.node("class").orElseThrow().pos(),
                "unknown failure class '" + c + "'", VarScope.hint(c, CLASSES, "")));
        r.finish();
        return Optional.of(new Trigger.StepFailure(step, failureClass));
    }

    private Optional<TriggerAction> action(MapReader r, String key, String what) {
        Optional<String> text = r.string(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Optional<TriggerAction> named = TriggerAction.ofYamlName(text.get());
        if (named.isPresent()) {
            return named;
        }
        List<String> names = Arrays.stream(TriggerAction.values()).map(TriggerAction::yamlName).toList();
        lc.problems.error(r.node(key).orElseThrow().pos(), "'" + key + "' in " + what + " must be one of " + String.join(", ", names)
                + ", not '" + text.get() + "'", VarScope.hint(text.get(), names, ""));
        return Optional.empty();
    }
}
