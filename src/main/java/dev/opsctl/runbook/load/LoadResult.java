package dev.opsctl.runbook.load;

import dev.opsctl.runbook.model.Runbook;
import dev.opsctl.source.Problems;
import java.util.Optional;

/**
 * What loading gave: a runbook when no error was found, else the problems (all of them; render with
 * {@link Problems#render()}, which sorts them by position). Never both a runbook and an error.
 */
public record LoadResult(Optional<Runbook> runbook, Problems problems) {
    public boolean ok() {
        return runbook.isPresent();
    }
}
