package dev.opsctl.action.include;

import java.nio.file.Path;
import java.util.Map;

/**
 * An include as written: {@code file} relative to the including file (or absolute), and {@code vars}
 * given to every included step (plain values: String, Long, Double, Boolean, List, Map).
 */
public record IncludeSpec(Path file, Map<String, Object> vars) {
    public IncludeSpec {
        vars = Map.copyOf(vars);
    }
}
