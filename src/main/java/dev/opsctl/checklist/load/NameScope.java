package dev.opsctl.checklist.load;

import dev.opsctl.source.DidYouMean;
import dev.opsctl.template.VarCheck;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a checklist's templates and conditions may read: params (bare or {@code params.x}), {@code host.*},
 * {@code vars.*}, {@code run.*}, {@code env.*}, and in an {@code expect} the probe's result fields.
 * {@code anyBare} accepts every bare name, for result fields a step type does not declare.
 */
record NameScope(Set<String> params, Set<String> extra, boolean anyBare) implements VarCheck {
    static final List<String> ROOTS = List.of("params", "host", "vars", "run", "env");
    static final List<String> HOST_FIELDS = List.of("name", "address", "port", "user", "groups", "vars");
    static final List<String> RUN_FIELDS = List.of("id", "dir", "operator", "started", "timestamp", "backend", "namespace", "context");
    /** What every step result has, whatever its type (see StepResult#fields). */
    static final Set<String> RESULT_FIELDS = Set.of("rc", "stdout", "stderr", "changed", "failed", "outcome", "elapsed_ms");

    NameScope {
        params = Set.copyOf(params);
        extra = Set.copyOf(extra);
    }

    NameScope withExtra(Set<String> more, boolean anyBareToo) {
        Set<String> all = new LinkedHashSet<>(extra);
        all.addAll(more);
        return new NameScope(params, all, anyBare || anyBareToo);
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
        String member = path.size() > 1 ? path.get(1) : null;
        switch (root) {
            case "vars":
                return Optional.empty();
            case "params":
                return member(root, member, params, "unknown param '", "declare it under 'params:'");
            case "host":
                return member(root, member, HOST_FIELDS, "unknown host field '", null);
            case "run":
                return member(root, member, RUN_FIELDS, "unknown run field '", null);
            case "env":
                return member == null ? Optional.of(needsMember(root)) : Optional.empty();
            default:
                if (anyBare) {
                    return Optional.empty();
                }
                List<String> names = new ArrayList<>(params);
                names.addAll(extra);
                names.addAll(ROOTS);
                return Optional.of(finding("undefined variable '" + root + "'",
                        hint(root, names, "declare it under 'params:', or use vars.*, host.*, run.* or env.*")));
        }
    }

    private static Optional<Finding> member(String root, String member, Collection<String> known, String what, String otherwise) {
        if (member == null) {
            return Optional.of(needsMember(root));
        }
        return known.contains(member) ? Optional.empty() : Optional.of(finding(what + member + "'", hint(member, known, otherwise)));
    }

    private static Finding needsMember(String root) {
        return finding("'" + root + "' needs a name after it", "write it like '" + root + ".name'");
    }

    private static Finding finding(String message, String hint) {
        return new Finding(message, Optional.ofNullable(hint));
    }

    /** A did-you-mean hint, else {@code otherwise}, else what is allowed; null (no hint) for Problems#error. */
    static String hint(String word, Collection<String> candidates, String otherwise) {
        return DidYouMean.hint(word, candidates, otherwise == null ? "" : otherwise).orElse(null);
    }
}
