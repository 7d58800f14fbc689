package dev.opsctl.engine.execute;

import dev.opsctl.action.StepResult;
import dev.opsctl.event.RunEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A step's result as its step-finished event, and so the journal, carries it: output cut to its head,
 * every string masked, and {@code incomplete}, the values so carried only in part, which a resumed run
 * must not read as if they were whole.
 */
record EventResult(Map<String, Object> fields, Map<String, List<List<String>>> incomplete) {
    static EventResult of(StepResult result, UnaryOperator<String> mask) {
        Map<String, Object> shown = new HashMap<>(result.fields());
        List<List<String>> cut = new ArrayList<>();
        if (OutputCap.cuts(result.stdout())) {
            shown.put("stdout", OutputCap.head(result.stdout()));
            cut.add(List.of("stdout"));
            // the same output split into lines: 16 MiB of it would otherwise be journaled (and fsync'd) whole
            if (shown.get("stdout_lines") instanceof List<?> lines) {
                List<Object> head = OutputCap.headLines(lines);
                if (head.size() < lines.size()) {
                    shown.put("stdout_lines", head);
                    cut.add(List.of("stdout_lines"));
                }
            }
        }
        if (OutputCap.cuts(result.stderr())) {
            shown.put("stderr", OutputCap.head(result.stderr()));
            cut.add(List.of("stderr"));
        }
        Masked.Copy copy = Masked.copy(shown, mask);
        Map<String, List<List<String>>> incomplete = new LinkedHashMap<>();
        if (!cut.isEmpty()) {
            incomplete.put(RunEvent.StepFinished.CUT, cut);
        }
        if (!copy.maskedPaths().isEmpty()) {
            incomplete.put(RunEvent.StepFinished.MASKED, copy.maskedPaths());
        }
        return new EventResult(copy.map(), incomplete);
    }
}
