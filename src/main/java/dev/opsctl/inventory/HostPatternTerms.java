package dev.opsctl.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a host pattern into terms as Ansible does: at commas when there is one (then a colon is
 * part of a term); else the whole pattern is one term when Ansible parses it as an address
 * ({@link AnsibleAddress}: {@code web:10}, {@code 2001:db8::1}, {@code db::web}); else at colons
 * outside brackets, so {@code web[0:2]} and {@code db-[a:c]} stay whole.
 */
final class HostPatternTerms {
    /** Terms end at Python's whitespace (no-break and other Unicode spaces too), as Ansible strips them. */
    private static final Pattern COLON_SEPARATED = Pattern.compile("(?:[^" + PythonStr.SPACE_CLASS + ":\\[\\]]|\\[[^\\]]*])+");

    private HostPatternTerms() {}

    static List<String> split(String pattern) {
        List<String> out = new ArrayList<>();
        if (pattern.contains(",")) {
            for (String t : pattern.split(",")) {
                String term = PythonStr.strip(t);
                if (!term.isEmpty()) {
                    out.add(term);
                }
            }
        } else if (AnsibleAddress.parses(pattern)) {
            out.add(PythonStr.strip(pattern));
        } else {
            out.addAll(atColons(pattern));
        }
        return out;
    }

    /** The terms between colons outside brackets (and whitespace). */
    static List<String> atColons(String pattern) {
        List<String> out = new ArrayList<>();
        Matcher m = COLON_SEPARATED.matcher(pattern);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }
}
