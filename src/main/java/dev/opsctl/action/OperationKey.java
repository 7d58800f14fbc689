package dev.opsctl.action;

import dev.opsctl.source.DidYouMean;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Problems;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one operation key of a step written {@code type: {<shared keys>, <operation>: {...}}} (kube, helm):
 * none, two, or a misspelt one is a problem at the key, with a did-you-mean among the operations.
 */
public final class OperationKey {
    private OperationKey() {}

    /**
     * {@code step}: the step type as written ({@code kube}); {@code shared}: the keys beside the operation;
     * {@code example}: a whole step, for the hint when no operation is given.
     */
    public static Optional<String> choose(MapReader r, String step, List<String> operations, Set<String> shared, String example,
            Problems problems) {
        List<String> present = operations.stream().filter(r::has).toList();
        if (present.isEmpty()) {
            // an unknown key is most likely a misspelt operation: say so where it is
            Optional<String> unknown = r.node().entries().keySet().stream().filter(k -> !shared.contains(k)).findFirst();
            if (unknown.isPresent()) {
                problems.error(r.keyPos(unknown.get()), "unknown " + step + " operation '" + unknown.get() + "'",
                        DidYouMean.closest(unknown.get(), operations).map(c -> "did you mean '" + c + "'?")
                                .orElse("use one of " + String.join(", ", operations)));
            } else {
                problems.error(r.pos(), "'" + step + "' needs one operation: " + String.join(", ", operations), "write e.g. " + example);
            }
            return Optional.empty();
        }
        r.finish();
        if (present.size() > 1) {
            problems.error(r.keyPos(present.get(1)), "'" + step + "' takes one operation, found '" + present.get(0) + "' and '"
                    + present.get(1) + "'", "split them into two steps");
            return Optional.empty();
        }
        return Optional.of(present.get(0));
    }
}
