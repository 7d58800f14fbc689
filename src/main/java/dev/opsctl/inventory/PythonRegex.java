package dev.opsctl.inventory;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A regular expression of Python's re module, as java.util.regex reads the same thing: a {@code ~}
 * term is Python's to read. Where the two read one text differently: {@code (?P<name>...)} and
 * {@code (?P=name)}, {@code \Z} (the very end in Python), a <code>{</code> that starts no repeat
 * (a plain character in Python), and {@code [} or {@code &&} inside a class (plain characters in
 * Python, a nested class and an intersection in Java). Python reads {@code \w}, {@code \d} and
 * case as Unicode, and {@code .} and {@code $} with only {@code \n} as a line end.
 */
final class PythonRegex {
    static final int FLAGS = Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNIX_LINES;
    private static final Pattern REPEAT = Pattern.compile("\\{[0-9]+(,[0-9]*)?}");
    private static final Pattern BACKREFERENCE = Pattern.compile("\\(\\?P=(\\w+)\\)");

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
                char next = re.charAt(++i);
                out.append(!inClass && next == 'Z' ? "\\z" : "\\" + next);
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
            } else if (re.startsWith("(?P<", i)) {
                out.append("(?<");
                i += 3;
            } else if (c == '(' && lookingAt(BACKREFERENCE, re, i)) {
                Matcher m = BACKREFERENCE.matcher(re).region(i, re.length());
                m.lookingAt();
                out.append("\\k<").append(m.group(1)).append('>');
                i = m.end() - 1;
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

    private static boolean lookingAt(Pattern p, String s, int from) {
        return p.matcher(s).region(from, s.length()).lookingAt();
    }
}
