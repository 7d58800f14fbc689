package dev.opsctl.cli;

import java.util.Iterator;
import java.util.List;

/**
 * Completion candidates for {@code rollout NAME} and {@code runbooks show NAME}: the shipped
 * runbooks only, so the generated completion scripts do not depend on where they were generated.
 */
final class RunbookNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        List<String> names = RunbookPath.shipped()
                .map(dir -> RunbookPath.listYaml(dir).stream().map(RunbookPath::nameOf).toList())
                .orElse(List.of());
        return names.iterator();
    }
}
