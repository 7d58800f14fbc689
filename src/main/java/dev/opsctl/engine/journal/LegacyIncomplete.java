package dev.opsctl.engine.journal;

import dev.opsctl.event.RunEvent;
import dev.opsctl.source.Secret;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a step-finished record written before {@code incomplete} existed kept only in part, read off its
 * result: an output ending in the cut marker, and every text holding the mask. Such a journal (a run
 * interrupted before an upgrade) would otherwise be resumed with a cut manifest or a masked password as if whole.
 */
final class LegacyIncomplete {
    private static final Pattern CUT = Pattern.compile("(?s).*\\n\\[output truncated: \\d+ more characters\\]");

    private LegacyIncomplete() {}

    static Map<String, List<List<String>>> of(Map<String, Object> result) {
        List<List<String>> cut = new ArrayList<>();
        for (String field : List.of("stdout", "stderr")) {
            if (result.get(field) instanceof String s && CUT.matcher(s).matches()) {
                cut.add(List.of(field));
            }
        }
        List<List<String>> masked = new ArrayList<>();
        walk(result, new ArrayList<>(), masked);
        Map<String, List<List<String>>> out = new LinkedHashMap<>();
        if (!cut.isEmpty()) {
            out.put(RunEvent.StepFinished.CUT, cut);
        }
        if (!masked.isEmpty()) {
            out.put(RunEvent.StepFinished.MASKED, masked);
        }
        return out;
    }

    private static void walk(Object v, List<String> at, List<List<String>> masked) {
        if (v instanceof String s && s.contains(Secret.MASK)) {
            masked.add(List.copyOf(at));
        } else if (v instanceof Map<?, ?> m) {
            m.forEach((k, x) -> {
                at.add(String.valueOf(k));
                walk(x, at, masked);
                at.remove(at.size() - 1);
            });
        } else if (v instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                at.add(Integer.toString(i));
                walk(l.get(i), at, masked);
                at.remove(at.size() - 1);
            }
        }
    }
}
