package dev.opsctl.engine.journal;

import dev.opsctl.template.Unavailable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A step's last journaled result on one host. {@code outcome}: ok, changed, failed, timed_out,
 * skipped, unreachable (nothing ran: the host could not be reached), connection_lost (the connection
 * broke while the step's command ran) or interrupted. {@code result} holds the (masked) fields a later step reads;
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
    @SuppressWarnings("unchecked")
    public Map<String, Object> restored() {
        if (incomplete.isEmpty()) {
            return result;
        }
        Map<List<String>, Unavailable> marks = new HashMap<>();
        // reasons in name order, so a value both cut and masked always gets the same one; an empty path (never
        // written by opsctl: a hand-edited journal) would mark the result itself, which must stay a map
        new java.util.TreeMap<>(incomplete).forEach((why, paths) -> paths.stream().filter(p -> !p.isEmpty())
                .forEach(p -> marks.putIfAbsent(p, new Unavailable(reason(why)))));
        return (Map<String, Object>) marked(result, new ArrayList<>(), marks);
    }

    private static String reason(String why) {
        return switch (why) {
            case "cut" -> "it was over 64K characters and the journal keeps only its head";
            case "masked" -> "it held a secret's value, which the journal keeps masked";
            default -> "the journal keeps it only in part (" + why + ")";
        };
    }

    /** A copy of {@code v} (found at path {@code at}) with each marked path's value replaced by its mark. */
    private static Object marked(Object v, List<String> at, Map<List<String>, Unavailable> marks) {
        Unavailable mark = marks.get(at);
        if (mark != null) {
            return mark;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> {
                at.add(String.valueOf(k));
                out.put(String.valueOf(k), marked(x, at, marks));
                at.remove(at.size() - 1);
            });
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object x : l) {
                at.add(Integer.toString(out.size()));
                out.add(marked(x, at, marks));
                at.remove(at.size() - 1);
            }
            return out;
        }
        return v;
    }
}
