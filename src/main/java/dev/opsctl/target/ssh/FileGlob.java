package dev.opsctl.target.ssh;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files an absolute path pattern names, as glob(3) finds them for OpenSSH's {@code Include}:
 * {@code *}, {@code ?} and {@code [...]} in any component, never matching a leading dot unless the
 * pattern's component starts with one; in byte order; only files that exist.
 */
final class FileGlob {
    private FileGlob() {}

    static List<Path> expand(String absolutePattern) throws IOException {
        List<Path> found = new ArrayList<>(List.of(Path.of("/")));
        for (String part : absolutePattern.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            List<Path> next = new ArrayList<>();
            for (Path dir : found) {
                if (!hasMeta(part)) {
                    next.add(dir.resolve(unescape(part)));
                } else if (Files.isDirectory(dir)) {
                    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                        for (Path e : entries) {
                            String name = e.getFileName().toString();
                            if ((!name.startsWith(".") || part.startsWith(".")) && matches(part, name, true)) {
                                next.add(e);
                            }
                        }
                    } catch (java.nio.file.AccessDeniedException e) {
                        // glob(3) skips what it cannot read; so does ssh
                    }
                }
            }
            next.sort(java.util.Comparator.comparing(Path::toString));
            found = next;
        }
        // a link to nowhere is skipped, as ssh skips a file it cannot open for ENOENT
        return found.stream().filter(Files::exists).toList();
    }

    private static boolean hasMeta(String part) {
        return part.indexOf('*') >= 0 || part.indexOf('?') >= 0 || part.indexOf('[') >= 0;
    }

    private static String unescape(String part) {
        return part.replaceAll("\\\\(.)", "$1");
    }

    /** glob(3)'s matching of one name; without {@code brackets}, {@code [} and {@code \\} are plain characters. */
    static boolean matches(String pattern, String name, boolean brackets) {
        return matches(pattern, 0, name, 0, brackets);
    }

    private static boolean matches(String p, int pi, String t, int ti, boolean brackets) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            if (c == '*') {
                for (int k = ti; k <= t.length(); k++) {
                    if (matches(p, pi + 1, t, k, brackets)) {
                        return true;
                    }
                }
                return false;
            }
            if (ti >= t.length()) {
                return false;
            }
            if (brackets && c == '[') {
                int end = classEnd(p, pi);
                if (end > 0) {
                    if (!inClass(p.substring(pi + 1, end), t.charAt(ti))) {
                        return false;
                    }
                    pi = end + 1;
                    ti++;
                    continue;
                }
            }
            if (brackets && c == '\\' && pi + 1 < p.length()) {
                c = p.charAt(++pi);
            } else if (c == '?') {
                c = t.charAt(ti);
            }
            if (c != t.charAt(ti)) {
                return false;
            }
            pi++;
            ti++;
        }
        return ti == t.length();
    }

    /** Where a bracket expression opened at {@code open} closes ({@code ]} right after the opening or a {@code !} is literal), or -1. */
    private static int classEnd(String p, int open) {
        int i = open + 1;
        if (i < p.length() && p.charAt(i) == '!') {
            i++;
        }
        if (i < p.length() && p.charAt(i) == ']') {
            i++;
        }
        int close = p.indexOf(']', i);
        return close;
    }

    private static boolean inClass(String set, char c) {
        boolean negated = !set.isEmpty() && set.charAt(0) == '!'; // OpenSSH's glob: '^' is a plain character
        String s = negated ? set.substring(1) : set;
        boolean in = false;
        for (int i = 0; i < s.length(); i++) {
            if (i + 2 < s.length() && s.charAt(i + 1) == '-') {
                in |= c >= s.charAt(i) && c <= s.charAt(i + 2);
                i += 2;
            } else {
                in |= c == s.charAt(i);
            }
        }
        return in != negated;
    }
}
