package dev.opsctl.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A value a resumed run knows only in part, because the journal it was restored from kept it cut short
 * or with a secret masked. Reading it, or anything that holds it, is an error that says so: a rollback
 * must not apply the first 64K characters of a saved manifest, or {@code ********} in place of a password.
 */
public record Unavailable(String why) {
    /** How it shows where it is displayed rather than read (a trigger's evidence): never as a value. */
    @Override
    public String toString() {
        return "(not kept whole in the journal: " + why + ")";
    }

    /** Throws when {@code value}, read as {@code ref}, is or holds an unavailable value. */
    static void refuse(Object value, VarRef ref) throws TemplateException {
        List<String> at = new ArrayList<>(ref.path());
        Optional<Unavailable> u = find(value, at);
        if (u.isPresent()) {
            String where = String.join(".", at);
            throw new TemplateException("'" + ref.dotted() + "' " + (where.equals(ref.dotted()) ? "" : "holds '" + where + "', which ")
                    + "cannot be read back from the run's journal: " + u.get().why() + "; do this step by hand, or start a new run",
                    ref.offset());
        }
    }

    /** The first unavailable value in {@code v}, depth first; {@code path} is extended to where it is. */
    private static Optional<Unavailable> find(Object v, List<String> path) {
        if (v instanceof Unavailable u) {
            return Optional.of(u);
        }
        if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                path.add(String.valueOf(e.getKey()));
                Optional<Unavailable> u = find(e.getValue(), path);
                if (u.isPresent()) {
                    return u;
                }
                path.remove(path.size() - 1);
            }
        }
        if (v instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                path.add(Integer.toString(i));
                Optional<Unavailable> u = find(l.get(i), path);
                if (u.isPresent()) {
                    return u;
                }
                path.remove(path.size() - 1);
            }
        }
        return Optional.empty();
    }
}
