package dev.opsctl.inventory;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A regular expression of Python's re module, as java.util.regex reads the same thing: a {@code ~}
 * term is Python's to read. Where the two read one text differently: {@code (?P<name>...)} and
 * {@code (?P=name)}, {@code \Z} (the very end in Python), a <code>{</code> that starts no repeat
 * (a plain character in Python), and {@code [} or {@code &&} inside a class (plain characters in
 * Python, a nested class and an intersection in Java). Python reads {@code \w}, {@code \d} and
 * case as Unicode, and {@code .} and {@code $} with only {@code \n} as a line end. Octal escapes,
 * {@code \U0001F600}, {@code \v}, comments and inline flags are written as Java writes them;
 * what Python refuses and Java would read ({@code \h}, {@code \Q...\E}, {@code \z},
 * {@code (?<name>...)}, {@code (?U)}, flags after the start) is refused, as Ansible stops on it.
 */
final class PythonRegex {
    static final int FLAGS = Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNIX_LINES;
    private static final Pattern REPEAT = Pattern.compile("\\{[0-9]+(,[0-9]*)?}");
    private static final Pattern BACKREFERENCE = Pattern.compile("\\(\\?P=(\\w+)\\)");
    private static final Pattern OCTAL = Pattern.compile("0[0-7]{0,2}|[0-7]{3}");
    private static final Pattern INLINE_FLAGS = Pattern.compile("\\(\\?([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])");
    private static final Pattern GLOBAL_FLAGS = Pattern.compile("(?:\\(\\?[a-zA-Z]+\\))*");
    /** The letters Python's re module escapes, outside a class and inside one. */
    private static final String ESCAPES = "AbBdDsSwWZafnrtvxuUN";
    private static final String CLASS_ESCAPES = "bdDsSwWafnrtvxuUN";

    private PythonRegex() {}

    static Pattern compile(String python) {
        return Pattern.compile(toJava(python), FLAGS);
    }

    static String toJava(String re) {
        StringBuilder out = new StringBuilder();
        boolean inClass = false;
        int classStart = 0;
        for (int i = 0; i < re.length(); i++) {
            char c = re.charAt(i);
            if (c == '\\' && i + 1 < re.length()) {
                i = escape(re, i, inClass, out);
            } else if (inClass) {
                if (c == ']' && i > classStart) {
                    inClass = false;
                    out.append(c);
                } else if (c == ']') {
                    out.append("\\]");
                } else {
                    out.append(c == '[' || c == '&' ? "\\" + c : String.valueOf(c));
                }
            } else if (c == '[') {
                inClass = true;
                out.append(c);
                if (re.startsWith("^", i + 1)) {
                    out.append('^');
                    i++;
                }
                // a ']' first in a class is one of its characters
                classStart = i + 1;
            } else if (re.startsWith("(?", i)) {
                i = group(re, i, out);
            } else if (c == '{') {
                Matcher m = REPEAT.matcher(re).region(i, re.length());
                if (m.lookingAt()) {
                    out.append(m.group());
                    i = m.end() - 1;
                } else {
                    out.append("\\{");
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The escape at {@code i} as Java writes it; the index of its last character. */
    private static int escape(String re, int i, boolean inClass, StringBuilder out) {
        char e = re.charAt(i + 1);
        Matcher octal = OCTAL.matcher(re).region(i + 1, re.length());
        if (e >= '0' && e <= '9' && octal.lookingAt() && (inClass || e == '0' || octal.group().length() == 3)) {
            int value = Integer.parseInt(octal.group(), 8);
            if (value > 0377) {
                throw new PatternSyntaxException("octal escape value \\" + octal.group() + " outside of range 0-0o377", re, i);
            }
            out.append(String.format("\\x{%x}", value));
            return octal.end() - 1;
        }
        if (e == 'N' && re.startsWith("{", i + 2) && re.indexOf('}', i) > 0) {
            out.append(re, i, re.indexOf('}', i) + 1);
            return re.indexOf('}', i);
        }
        if (e == 'U' && i + 10 <= re.length() && re.substring(i + 2, i + 10).matches("[0-9a-fA-F]{8}")) {
            out.append("\\x{").append(re, i + 2, i + 10).append('}');
            return i + 9;
        }
        if (e < 128 && Character.isLetter(e) && (inClass ? CLASS_ESCAPES : ESCAPES).indexOf(e) < 0) {
            throw new PatternSyntaxException("bad escape \\" + e + " (Python's re module has no such escape)", re, i);
        }
        out.append(switch (e) {
            case 'v' -> "\\x0B";
            case 'b' -> inClass ? "\\x08" : "\\b";
            case 'Z' -> "\\z";
            default -> "\\" + e;
        });
        return i + 1;
    }

    /** The group that opens with '(?' at {@code i} as Java writes it; the index of its last character read. */
    private static int group(String re, int i, StringBuilder out) {
        Matcher backreference = BACKREFERENCE.matcher(re).region(i, re.length());
        Matcher flags = INLINE_FLAGS.matcher(re).region(i, re.length());
        if (re.startsWith("(?P<", i)) {
            out.append("(?<");
            return i + 3;
        }
        if (backreference.lookingAt()) {
            out.append("\\k<").append(backreference.group(1)).append('>');
            return backreference.end() - 1;
        }
        if (re.startsWith("(?#", i) && re.indexOf(')', i) > 0) {
            return re.indexOf(')', i);
        }
        if (re.startsWith("(?<", i) && !re.startsWith("(?<=", i) && !re.startsWith("(?<!", i)) {
            throw new PatternSyntaxException("unknown extension ?<" + " (Python names a group (?P<name>...))", re, i);
        }
        if (!flags.lookingAt()) {
            out.append("(?");
            return i + 1;
        }
        String on = flags.group(1);
        String off = flags.group(2) == null ? "" : flags.group(2);
        boolean global = flags.group(3).equals(")");
        if (!(on + off).chars().allMatch(f -> "aimsux".indexOf(f) >= 0) || global && (on.isEmpty() || flags.group(2) != null)
                || global && !GLOBAL_FLAGS.matcher(re.substring(0, i)).matches()) {
            throw new PatternSyntaxException("inline flags Python's re module does not read: " + flags.group()
                    + " (it knows a, i, m, s, u and x; only at the start, unless scoped as (?i:...))", re, i);
        }
        // Python's 'a' is ASCII \\w, \\d and \\s; 'u', Unicode, is already the default
        String javaOn = on.replaceAll("[au]", "");
        String javaOff = off + (on.contains("a") ? "U" : "");
        out.append(javaOn.isEmpty() && javaOff.isEmpty() ? global ? "" : "(?:"
                : "(?" + javaOn + (javaOff.isEmpty() ? "" : "-" + javaOff) + flags.group(3));
        return flags.end() - 1;
    }
}
