package dev.opsctl.runbook.load;

import dev.opsctl.source.DidYouMean;
import dev.opsctl.template.VarCheck;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The variables a template or condition may read at one place in a runbook: params (bare or as
 * {@code params.x}), {@code host.*}, {@code vars.*}, {@code run.*}, {@code env.*}, {@code steps.<id>.*}
 * for the steps that have run by then, names registered by those steps, and {@code extra} result
 * fields (for {@code until} and probe conditions). {@code anyBare} accepts every bare name, for result
 * fields a step type does not declare.
 */
record VarScope(
        Set<String> params, Set<String> visibleSteps, Set<String> allSteps, Set<String> registered, Set<String> extra, boolean anyBare,
        Map<String, String> unsure, Set<List<String>> guards)
        implements VarCheck {

    static final List<String> ROOTS = List.of("params", "host", "vars", "run", "env", "steps");
    static final List<String> HOST_FIELDS = List.of("name", "address", "port", "user", "groups", "vars");
    static final List<String> RUN_FIELDS = List.of("id", "dir", "operator", "started", "timestamp", "backend", "namespace", "context");
    /** What every step result has, whatever its type (see StepResult#fields). */
    static final Set<String> RESULT_FIELDS = Set.of("rc", "stdout", "stderr", "changed", "failed", "outcome", "elapsed_ms");

    VarScope {
        params = Set.copyOf(params);
        visibleSteps = Set.copyOf(visibleSteps);
        allSteps = Set.copyOf(allSteps);
        registered = Set.copyOf(registered);
        extra = Set.copyOf(extra);
        unsure = Map.copyOf(unsure);
        guards = Set.copyOf(guards);
    }

    VarScope(Set<String> params, Set<String> visibleSteps, Set<String> allSteps, Set<String> registered, Set<String> extra, boolean anyBare) {
        this(params, visibleSteps, allSteps, registered, extra, anyBare, Map.of(), Set.of());
    }

    /**
     * For a rollback step: {@code unsure} are the names and {@code steps.<id>} that earlier steps may
     * not have left (and why), readable only below a path the step's {@code when} requires ({@code guards}).
     */
    VarScope inRollback(Map<String, String> unsureNow, Set<List<String>> guardsNow) {
        return new VarScope(params, visibleSteps, allSteps, registered, extra, anyBare, unsureNow, guardsNow);
    }

    VarScope withExtra(Set<String> more, boolean anyBareToo) {
        Set<String> all = new LinkedHashSet<>(extra);
        all.addAll(more);
        return new VarScope(params, visibleSteps, allSteps, registered, all, anyBare || anyBareToo, unsure, guards);
    }

    @Override
    public Optional<Finding> check(List<String> path) {
        if (path.isEmpty()) {
            return Optional.empty();
        }
        String root = path.get(0);
        if (params.contains(root) || extra.contains(root)) {
            return Optional.empty();
        }
        if (registered.contains(root)) {
            return unsure.containsKey(root) && !guarded(path, 1)
                    ? Optional.of(mayBeMissing(missing(path, 1), String.join(".", path), unsure.get(root)))
                    : Optional.empty();
        }
        String member = path.size() > 1 ? path.get(1) : null;
        switch (root) {
            case "vars":
                return Optional.empty();
            case "params":
                if (member == null) {
                    return needsMember(root, "params.<name>");
                }
                return params.contains(member)
                        ? Optional.empty()
                        : Optional.of(finding("unknown param '" + member + "'", hint(member, params, "declare it under 'params:'")));
            case "host":
                if (member == null) {
                    return needsMember(root, "host.name");
                }
                return HOST_FIELDS.contains(member)
                        ? Optional.empty()
                        : Optional.of(finding("unknown host field '" + member + "'", hint(member, HOST_FIELDS, "")));
            case "run":
                if (member == null) {
                    return needsMember(root, "run.id");
                }
                return RUN_FIELDS.contains(member)
                        ? Optional.empty()
                        : Optional.of(finding("unknown run field '" + member + "'", hint(member, RUN_FIELDS, "")));
            case "env":
                return member == null ? needsMember(root, "env.HOME") : Optional.empty();
            case "steps":
                return member == null ? needsMember(root, "steps.<id>.stdout") : checkStep(path);
            default:
                if (anyBare) {
                    return Optional.empty();
                }
                List<String> names = new ArrayList<>(params);
                names.addAll(registered);
                names.addAll(extra);
                names.addAll(ROOTS);
                return Optional.of(finding("undefined variable '" + root + "'",
                        hint(root, names, "declare it under 'params:', or use vars.*, host.*, run.*, env.* or steps.<id>.*")));
        }
    }

    private Optional<Finding> checkStep(List<String> path) {
        // Included steps have dotted ids ('deploy.restart'), so try every prefix of the rest of the path.
        StringBuilder id = new StringBuilder();
        boolean later = false;
        String found = null;
        int foundLength = 0;
        for (int i = 1; i < path.size(); i++) {
            if (i > 1) {
                id.append('.');
            }
            id.append(path.get(i));
            if (visibleSteps.contains(id.toString())) {
                // the longest: steps.outer.a.rc is step 'outer.a', not the include 'outer'
                found = id.toString();
                foundLength = i + 1;
            }
            later |= allSteps.contains(id.toString());
        }
        if (found != null) {
            return unsure.containsKey("steps." + found) && !guarded(path, foundLength)
                    ? Optional.of(mayBeMissing(missing(path, foundLength), String.join(".", path), unsure.get("steps." + found)))
                    : Optional.empty();
        }
        String named = path.get(1);
        if (later) {
            return Optional.of(finding("step '" + named + "' has not run yet at this point",
                    "a step can only read the results of steps before it"));
        }
        return Optional.of(finding("unknown step '" + named + "'", hint(named, visibleSteps, "")));
    }

    /**
     * Whether the step's {@code when} requires a path this read lies below. Requiring only the step
     * or register itself ({@code default(backup, false)}) covers just the fields every result has
     * (rc, stdout...): a step that failed is recorded too, without its other fields.
     */
    private boolean guarded(List<String> path, int rootLength) {
        for (List<String> g : guards) {
            if (g.size() <= path.size() && path.subList(0, g.size()).equals(g)
                    && (g.size() > rootLength || (path.size() > rootLength && RESULT_FIELDS.contains(path.get(rootLength))))) {
                return true;
            }
        }
        return false;
    }

    /**
     * What may be missing: the step or register, or, when it is sure to be there (a guard on it alone,
     * or an earlier rollback step's partial result), the field read below it.
     */
    private String missing(List<String> path, int rootLength) {
        boolean rootSure = guards.contains(path.subList(0, rootLength));
        return String.join(".", path.subList(0, rootSure && path.size() > rootLength ? rootLength + 1 : rootLength));
    }

    /** A rollback step reading what an earlier step may not have left: {@code why} says which step and how. */
    private static Finding mayBeMissing(String name, String read, String why) {
        return finding("'" + name + "' may not exist when the rollback runs: " + why,
                "skip this step when there is nothing to undo: when: \"default(" + read + ", false)\"; or read it as default(" + read
                        + ", <fallback>)");
    }

    private static Optional<Finding> needsMember(String root, String example) {
        return Optional.of(finding("'" + root + "' needs a name after it", "write it like '" + example + "'"));
    }

    private static Finding finding(String message, String hint) {
        return new Finding(message, Optional.ofNullable(hint));
    }

    /** A did-you-mean hint, else {@code otherwise} if not empty, else what is allowed; null (no hint) for Problems#error. */
    static String hint(String word, java.util.Collection<String> candidates, String otherwise) {
        return DidYouMean.hint(word, candidates, otherwise).orElse(null);
    }
}
