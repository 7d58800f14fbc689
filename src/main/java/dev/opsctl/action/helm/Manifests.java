package dev.opsctl.action.helm;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * The objects of a manifest Helm rendered, as {@code kind/name}, for messages and result fields. Reads
 * Helm's own output layout (top-level {@code kind:}, {@code metadata:} then an indented {@code name:});
 * applying parses the manifest properly.
 */
final class Manifests {
    private Manifests() {}

    static List<String> names(String manifest) {
        List<String> out = new ArrayList<>();
        String kind = "";
        String name = "";
        boolean inMetadata = false;
        for (String line : (manifest + "\n---").split("\n")) {
            if (line.startsWith("---")) {
                if (!kind.isEmpty()) {
                    out.add(kind.toLowerCase(Locale.ROOT) + "/" + name);
                }
                kind = "";
                name = "";
                inMetadata = false;
            } else if (line.startsWith("kind:")) {
                kind = unquote(line.substring(5));
            } else if (line.startsWith("metadata:")) {
                inMetadata = true;
            } else if (inMetadata && name.isEmpty() && line.matches("^\\s+name:.*")) {
                name = unquote(line.substring(line.indexOf("name:") + 5));
            } else if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0)) && !line.startsWith("#")) {
                inMetadata = false;
            }
        }
        return out;
    }

    static List<String> kinds(List<String> names) {
        LinkedHashSet<String> kinds = new LinkedHashSet<>();
        names.forEach(n -> kinds.add(n.substring(0, n.indexOf('/'))));
        return List.copyOf(kinds);
    }

    private static String unquote(String s) {
        String t = s.strip();
        if (t.length() >= 2 && (t.startsWith("\"") && t.endsWith("\"") || t.startsWith("'") && t.endsWith("'"))) {
            return t.substring(1, t.length() - 1);
        }
        return t;
    }
}
