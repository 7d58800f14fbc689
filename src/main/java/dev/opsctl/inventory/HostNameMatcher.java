package dev.opsctl.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Ansible's test of a host or group name against a pattern term: {@code ~regex} matches names it
 * matches at their start (Python's {@code re.match}, its syntax read by {@link PythonRegex}); anything else is a shell glob over the whole
 * name ({@code fnmatch}: {@code *}, {@code ?}, {@code [seq]}, {@code [!seq]}), case-sensitive.
 */
final class HostNameMatcher {
    private HostNameMatcher() {}

    static Predicate<String> of(String term) throws HostPatternException {
        if (term.startsWith("~")) {
            try {
                Pattern p = PythonRegex.compile(term.substring(1));
                return name -> p.matcher(name).lookingAt();
            } catch (PatternSyntaxException e) {
                throw new HostPatternException("invalid pattern '" + term + "': " + e.getDescription()
                        + "; a '~' pattern is a regular expression, write it as Python's re module reads it");
            }
        }
        Pattern p = Pattern.compile(glob(term), Pattern.DOTALL);
        return name -> p.matcher(name).matches();
    }

    /** Python 3.11's fnmatch.translate: a '[' without its ']' is a plain character. */
    private static String glob(String g) throws HostPatternException {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else if (c == '[' && closing(g, i) > 0) {
                int end = closing(g, i);
                re.append(charClass(g, g.substring(i + 1, end)));
                i = end;
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }

    /**
     * A {@code [seq]} class as fnmatch reads it: {@code !} first negates, a {@code -} between two
     * characters is a range, elsewhere a plain {@code -}; a range that runs backwards ({@code z-a})
     * is dropped, and a class left empty matches nothing.
     */
    private static String charClass(String glob, String body) throws HostPatternException {
        List<String> chunks = new ArrayList<>();
        if (body.indexOf('-') < 0) {
            chunks.add(body);
        } else {
            int from = 0;
            int k = body.startsWith("!") ? 2 : 1;
            while ((k = k <= body.length() ? body.indexOf('-', k) : -1) >= 0) {
                chunks.add(body.substring(from, k));
                from = k + 1;
                k += 3;
            }
            String last = body.substring(from);
            if (last.isEmpty()) {
                chunks.set(chunks.size() - 1, chunks.get(chunks.size() - 1) + "-");
            } else {
                chunks.add(last);
            }
            for (int k2 = chunks.size() - 1; k2 > 0; k2--) {
                String before = chunks.get(k2 - 1);
                String after = chunks.get(k2);
                if (before.isEmpty() || after.isEmpty()) {
                    throw new HostPatternException("invalid glob '" + glob + "': the class [" + body
                            + "] has ranges that run backwards into each other; write each range low-high, like [a-c]");
                }
                if (before.charAt(before.length() - 1) > after.charAt(0)) {
                    chunks.set(k2 - 1, before.substring(0, before.length() - 1) + after.substring(1));
                    chunks.remove(k2);
                }
            }
        }
        String joined = String.join("-", chunks);
        if (joined.isEmpty()) {
            return "(?!)";
        }
        if (joined.equals("!")) {
            return ".";
        }
        StringBuilder out = new StringBuilder("[");
        if (joined.startsWith("!")) {
            out.append('^');
            chunks.set(0, chunks.get(0).substring(1));
        }
        for (int k = 0; k < chunks.size(); k++) {
            if (k > 0) {
                out.append('-');
            }
            for (char b : chunks.get(k).toCharArray()) {
                out.append(Character.isLetterOrDigit(b) ? String.valueOf(b) : "\\" + b);
            }
        }
        return out.append(']').toString();
    }

    /** The index of the ']' that closes the class opened at {@code open}, or -1. */
    private static int closing(String g, int open) {
        int j = open + 1;
        if (j < g.length() && g.charAt(j) == '!') {
            j++;
        }
        if (j < g.length() && g.charAt(j) == ']') {
            j++;
        }
        int end = g.indexOf(']', j);
        return end;
    }
}
