package dev.opsctl.runbook.load;

import dev.opsctl.source.NodeValues;
import dev.opsctl.action.ActionType;
import dev.opsctl.action.Invocation;
import dev.opsctl.action.TemplatedDuration;
import dev.opsctl.runbook.model.RunOn;
import dev.opsctl.runbook.model.Step;
import dev.opsctl.source.MapNode;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** One step draft into a {@link Step}: the options every step shares plus exactly one step-type key. */
final class StepReader {
    static final List<String> COMMON_KEYS = List.of("id", "name", "when", "retries", "delay", "until", "timeout", "register",
            "ignore_errors", "sudo", "estimate", "idempotent", "on", "vars");
    static final Duration DEFAULT_DELAY = Duration.ofSeconds(5);
    static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Keys whose values are conditions or names, not templates. */
    private static final Set<String> NOT_TEMPLATES = Set.of("id", "when", "until", "register");

    private final LoadContext lc;

    StepReader(LoadContext lc) {
        this.lc = lc;
    }

    /** The step's {@code register} name, if it gives a well-formed one (read before the step, for scoping). */
    static Optional<String> registerOf(StepDraft d) {
        return d.node().get("register")
                .filter(n -> n instanceof dev.opsctl.source.ScalarNode s && IDENTIFIER.matcher(s.text()).matches())
                .map(n -> ((dev.opsctl.source.ScalarNode) n).text());
    }

    Optional<Step> read(StepDraft d, VarScope scope) {
        if (d.includeStep()) {
            d.node().get("include").ifPresent(n -> lc.checks.walk(n, scope, Set.of()));
            d.node().get("vars").ifPresent(n -> lc.checks.walk(n, scope, Set.of()));
            return Optional.empty();
        }
        MapReader r = MapReader.of(d.node(), "step '" + d.id() + "'", lc.problems).orElseThrow();
        r.allow("id");
        Optional<String> name = r.string("name");
        Optional<String> when = r.string("when");
        when.ifPresent(w -> lc.checks.condition(w, r.node("when").orElseThrow().pos(), scope));
        int retries = r.integer("retries").orElse(0);
        if (retries < 0) {
            lc.problems.error(r.node("retries").orElseThrow().pos(), "'retries' in " + r.what() + " must be 0 or more, not " + retries);
        }
        TemplatedDuration delay = TemplatedDuration.template(r, "delay")
                .orElseGet(() -> TemplatedDuration.of(r.duration("delay").orElse(DEFAULT_DELAY)));
        Optional<Duration> timeout = r.duration("timeout");
        timeout.filter(Duration::isZero).ifPresent(t ->
                lc.problems.error(r.node("timeout").orElseThrow().pos(), "'timeout' in " + r.what() + " must be longer than 0s"));
        Optional<String> register = r.string("register");
        register.ifPresent(reg -> checkRegister(reg, r, scope));
        boolean ignoreErrors = r.bool("ignore_errors").orElse(false);
        boolean sudo = r.bool("sudo").orElse(false);
        Optional<Duration> estimate = r.duration("estimate");
        boolean idempotent = r.bool("idempotent").orElse(false);
        RunOn runOn = r.string("on").flatMap(on -> runOn(on, r)).orElse(RunOn.HOST);
        Map<String, Object> vars = new LinkedHashMap<>();
        r.map("vars").ifPresent(v -> vars.putAll(NodeValues.plainMap(v.node())));
        vars.putAll(d.vars());

        Optional<ActionType<?>> type = stepType(d, r);
        Optional<Invocation<?>> action = type.flatMap(t ->
                lc.parseAction(t, d.node().get(t.name()).orElseThrow(), lc.parseContext(d.baseDir(), scope)));
        Optional<String> until = r.string("until");
        // until also sees the step's own result under its register name (StepRunner)
        VarScope untilScope = resultScope(scope, type).withExtra(registerOf(d).map(Set::of).orElse(Set.of()), false);
        until.ifPresent(u -> lc.checks.condition(u, r.node("until").orElseThrow().pos(), untilScope));
        lc.checks.walk(d.node(), scope, NOT_TEMPLATES);
        r.finish();
        if (action.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Step(d.id(), name, action.get(), when, Math.max(0, retries), delay, until, timeout, register,
                ignoreErrors, sudo, estimate, idempotent, runOn, vars, d.node().pos()));
    }

    /** What an {@code until} or a probe's {@code when} may read: the scope plus the result's fields. */
    static VarScope resultScope(VarScope scope, Optional<ActionType<?>> type) {
        Optional<Set<String>> declared = type.flatMap(ActionType::resultFields);
        Set<String> names = new TreeSet<>(VarScope.RESULT_FIELDS);
        declared.ifPresent(names::addAll);
        return scope.withExtra(names, declared.isEmpty());
    }

    /** Exactly one key that names a step type; every other key must be a common one. */
    private Optional<ActionType<?>> stepType(StepDraft d, MapReader r) {
        List<MapNode.Entry> typeKeys = new ArrayList<>();
        List<MapNode.Entry> unknown = new ArrayList<>();
        for (MapNode.Entry e : d.node().entries().values()) {
            if (COMMON_KEYS.contains(e.key())) {
                continue;
            }
            if (lc.registry.find(e.key()).isPresent()) {
                typeKeys.add(e);
            } else {
                unknown.add(e);
            }
        }
        typeKeys.forEach(e -> r.allow(e.key()));
        if (typeKeys.isEmpty() && unknown.size() == 1) {
            MapNode.Entry e = unknown.get(0);
            r.allow(e.key());
            lc.problems.error(e.keyPos(), "unknown step type '" + e.key() + "'", VarScope.hint(e.key(), lc.registry.names(), ""));
        } else if (typeKeys.isEmpty()) {
            lc.problems.error(d.node().pos(), "step '" + d.id() + "' has no step type",
                    VarScope.hint("", lc.registry.names(), "add one of: " + String.join(", ", lc.registry.names())));
        }
        for (int i = 1; i < typeKeys.size(); i++) {
            lc.problems.error(typeKeys.get(i).keyPos(), "step '" + d.id() + "' has two step types: '" + typeKeys.get(0).key() + "' and '"
                    + typeKeys.get(i).key() + "'", "split it into two steps");
        }
        // the caller's finish() then offers the common keys and the step types alike for did-you-mean
        r.allow(lc.registry.names().toArray(String[]::new));
        return typeKeys.size() == 1 ? lc.registry.find(typeKeys.get(0).key()) : Optional.empty();
    }

    private void checkRegister(String name, MapReader r, VarScope scope) {
        Node n = r.node("register").orElseThrow();
        if (!IDENTIFIER.matcher(name).matches()) {
            lc.problems.error(n.pos(), "'register' must be a name like 'docker_info', not '" + name + "'");
        } else if (VarScope.ROOTS.contains(name) || scope.params().contains(name)) {
            lc.problems.error(n.pos(), "'register: " + name + "' would hide the " + (scope.params().contains(name) ? "param" : "variable")
                    + " '" + name + "'", "pick another name");
        }
    }

    private Optional<RunOn> runOn(String on, MapReader r) {
        switch (on) {
            case "host":
                return Optional.of(RunOn.HOST);
            case "controller":
                return Optional.of(RunOn.CONTROLLER);
            default:
                lc.problems.error(r.node("on").orElseThrow().pos(), "'on' in " + r.what() + " must be 'host' or 'controller', not '" + on + "'",
                        VarScope.hint(on, List.of("host", "controller"), ""));
                return Optional.empty();
        }
    }
}
