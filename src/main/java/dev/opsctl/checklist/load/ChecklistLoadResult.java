package dev.opsctl.checklist.load;

import dev.opsctl.checklist.Checklist;
import dev.opsctl.source.Problems;
import java.util.Optional;

/** A checklist when no error was found, else every problem (render with {@link Problems#render()}). */
public record ChecklistLoadResult(Optional<Checklist> checklist, Problems problems) {
    public boolean ok() {
        return checklist.isPresent();
    }
}
