package dev.opsctl.runbook.load;

import dev.opsctl.source.MapNode;
import java.nio.file.Path;
import java.util.Map;

/**
 * A step after include expansion, before its body is parsed: its final id, its node, the vars its
 * includes give it, and the directory its relative paths start from. An {@code includeStep} draft is
 * the include itself, kept only so its own templates are checked where it stood.
 */
record StepDraft(String id, MapNode node, Map<String, Object> vars, Path baseDir, boolean includeStep) {
    StepDraft {
        vars = Map.copyOf(vars);
    }
}
