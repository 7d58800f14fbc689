package dev.opsctl.inventory;

import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Ansible's test of a host or group name against a pattern term: {@code ~regex} matches names it
 * matches at their start (Python's {@code re.match}); anything else is a shell glob over the whole
 * name ({@code fnmatch}: {@code *}, {@code ?}, {@code [seq]}, {@code [!seq]}), case-sensitive.
 */
final class HostNameMatcher {
    private HostNameMatcher() {}

    static Predicate<String> of(String term) throws HostPatternException {
        try {
            if (term.startsWith("~")) {
                Pattern p = Pattern.compile(term.substring(1));
                return name -> p.matcher(name).lookingAt();
            }
            Pattern p = Pattern.compile(glob(term), Pattern.DOTALL);
            return name -> p.matcher(name).matches();
        } catch (PatternSyntaxException e) {
            throw new HostPatternException("invalid pattern '" + term + "': " + e.getDescription()
                    + "; a '~' pattern is a regular expression, write it as Python's re module reads it");
        }
    }

    /** Python's fnmatch.translate: a '[' without its ']' is a plain character. */
    private static String glob(String g) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else if (c == '[' && closing(g, i) > 0) {
                int end = closing(g, i);
                String body = g.substring(i + 1, end);
                re.append('[');
                int from = 0;
                if (body.startsWith("!")) {
                    re.append('^');
                    from = 1;
                }
                for (char b : body.substring(from).toCharArray()) {
                    re.append(b == '-' || Character.isLetterOrDigit(b) ? String.valueOf(b) : "\\" + b);
                }
                re.append(']');
                i = end;
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
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
