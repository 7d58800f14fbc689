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
    /** Whitespace as Python's str.strip() and \s in its re module take it: no-break and other Unicode spaces too. */
    private static final String PYTHON_SPACE = "\\t\\n\\x0B\\f\\r\\x1C-\\x20\\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000";
    private static final Pattern COLON_SEPARATED = Pattern.compile("(?:[^" + PYTHON_SPACE + ":\\[\\]]|\\[[^\\]]*])+");
    private static final Pattern SPACE_AROUND = Pattern.compile("^[" + PYTHON_SPACE + "]+|[" + PYTHON_SPACE + "]+\\z");

    private HostPatternTerms() {}

    static List<String> split(String pattern) {
        List<String> out = new ArrayList<>();
        if (pattern.contains(",")) {
            for (String t : pattern.split(",")) {
                if (!strip(t).isEmpty()) {
                    out.add(strip(t));
                }
            }
        } else if (AnsibleAddress.parses(pattern)) {
            out.add(strip(pattern));
        } else {
            out.addAll(atColons(pattern));
        }
        return out;
    }

    /** Python's str.strip(). */
    private static String strip(String s) {
        return SPACE_AROUND.matcher(s).replaceAll("");
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
