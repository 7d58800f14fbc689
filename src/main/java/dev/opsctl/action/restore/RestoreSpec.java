package dev.opsctl.action.restore;

import java.util.Map;
import java.util.Optional;

/** What to put back: everything a {@code backup} step ({@code from}, its id) recorded, or explicit {@code paths} (original to copy). */
public record RestoreSpec(Optional<String> from, Map<String, String> paths) {
    public RestoreSpec {
        paths = Map.copyOf(paths);
    }
}
