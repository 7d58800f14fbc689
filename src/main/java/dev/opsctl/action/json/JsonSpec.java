package dev.opsctl.action.json;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An edit of a JSON file on the host: {@code set} is deep-merged into the document (objects merge
 * key by key, anything else replaces), {@code remove} deletes keys (dotted paths), the rest of the
 * document is kept. Strings in {@code set} are templates.
 */
public record JsonSpec(
        String path,
        Map<String, Object> set,
        List<String> remove,
        boolean createIfMissing,
        boolean backup,
        Optional<Integer> mode) {

    public JsonSpec {
        set = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(set));
        remove = List.copyOf(remove);
    }
}
