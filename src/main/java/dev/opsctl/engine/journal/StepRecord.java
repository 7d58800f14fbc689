package dev.opsctl.engine.journal;

import dev.opsctl.template.Unavailable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A step's last journaled result on one host. {@code outcome}: ok, changed, failed, timed_out,
 * skipped, unreachable or interrupted. {@code result} holds the (masked) fields a later step reads;
 * {@code incomplete} the paths of those the journal kept only in part, by why ({@code cut}, {@code masked}).
 */
public record StepRecord(String step, String outcome, int rc, long elapsedMs, String message, Map<String, Object> result,
        boolean ignored, Map<String, List<List<String>>> incomplete) {
    private static final Set<String> DONE = Set.of("ok", "changed", "skipped");

    public StepRecord {
        result = Map.copyOf(result);
        incomplete = Map.copyOf(incomplete);
    }

    /** Done for good: a resume must not run it again. An ignored failure counts as done. */
    public boolean completed() {
        return DONE.contains(outcome) || (ignored && !outcome.equals("interrupted"));
    }

    /**
     * The result as a resumed run's scope gets it back: each value the journal kept only in part is an
     * {@link Unavailable}, so a template that reads it fails saying why instead of using the cut or masked text.
     */
    public Map<String, Object> restored() {
        if (incomplete.isEmpty()) {
            return result;
        }
        Map<String, Object> out = deepCopy(result);
        incomplete.forEach((why, paths) -> paths.forEach(p -> replace(out, p, new Unavailable(reason(why)))));
        return out;
    }

    private static String reason(String why) {
        return switch (why) {
            case "cut" -> "it was over 64K characters and the journal keeps only its head";
            case "masked" -> "it held a secret's value, which the journal keeps masked";
            default -> "the journal keeps it only in part (" + why + ")";
        };
    }

    @SuppressWarnings("unchecked")
    private static void replace(Object container, List<String> path, Unavailable u) {
        Object at = container;
        for (int i = 0; i < path.size(); i++) {
            boolean last = i == path.size() - 1;
            String seg = path.get(i);
            if (at instanceof Map<?, ?> m) {
                if (!m.containsKey(seg)) {
                    return;
                }
                if (last) {
                    ((Map<String, Object>) m).put(seg, u);
                    return;
                }
                at = m.get(seg);
            } else if (at instanceof List<?> l && seg.chars().allMatch(Character::isDigit) && !seg.isEmpty()
                    && seg.length() < 10 && Integer.parseInt(seg) < l.size()) {
                int idx = Integer.parseInt(seg);
                if (last) {
                    ((List<Object>) l).set(idx, u);
                    return;
                }
                at = l.get(idx);
            } else {
                return;
            }
        }
    }

    private static Map<String, Object> deepCopy(Map<String, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, deepCopyValue(v)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object deepCopyValue(Object v) {
        if (v instanceof Map<?, ?> m) {
            return deepCopy((Map<String, ?>) m);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(deepCopyValue(x)));
            return out;
        }
        return v;
    }
}
