package dev.opsctl.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Ansible host ranges, expanded as ansible-core 2.14's {@code expand_hostname_range} expands them:
 * {@code web[01:03]} is web01, web02, web03; {@code [a:c]} and {@code [A:C]} are letters (of
 * a-zA-Z, in that order); {@code [1:9:2]} steps; an empty start is 0; a zero-padded start needs an
 * end as long. A range that counts down, such as {@code [3:1]}, is no host at all, as in Ansible.
 */
final class HostRanges {
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final int MAX_HOSTS = 100_000;

    private HostRanges() {}

    /** The names a pattern stands for, or an error message. */
    static Result expand(String name) {
        List<String> out = new ArrayList<>();
        Optional<String> error = expand(name, out);
        return error.isPresent() ? new Result(List.of(), error) : new Result(out, Optional.empty());
    }

    private static Optional<String> expand(String name, List<String> out) {
        if (name.indexOf('[') < 0) {
            out.add(name);
            return Optional.empty();
        }
        // Ansible replaces the first '[' and the first ']' with '|' and wants exactly three parts.
        String[] parts = name.replaceFirst("\\[", "|").replaceFirst("]", "|").split("\\|", -1);
        if (parts.length != 3) {
            return Optional.of("'" + name + "' has a '[' without a ']' after it, or a '|'");
        }
        String head = parts[0];
        String tail = parts[2];
        String[] bounds = parts[1].split(":", -1);
        if (bounds.length != 2 && bounds.length != 3) {
            return Optional.of("the host range '[" + parts[1] + "]' in '" + name + "' must be [begin:end] or [begin:end:step]");
        }
        String begin = bounds[0].isEmpty() ? "0" : bounds[0];
        String end = bounds[1];
        String step = bounds.length == 3 ? bounds[2] : "1";
        if (end.isEmpty()) {
            return Optional.of("the host range '[" + parts[1] + "]' in '" + name + "' has no end");
        }
        int width = begin.startsWith("0") && begin.length() > 1 ? begin.length() : 0;
        if (width > 0 && width != end.length()) {
            return Optional.of("the host range '[" + parts[1] + "]' in '" + name + "' starts with " + width
                    + " digits but ends with " + end.length() + ": Ansible wants both as long");
        }
        List<String> values = new ArrayList<>();
        Optional<String> error = values(begin, end, step, width, values)
                .map(e -> "the host range '[" + parts[1] + "]' in '" + name + "' " + e);
        if (error.isPresent()) {
            return error;
        }
        for (String v : values) {
            Optional<String> e = expand(head + v + tail, out);
            if (e.isPresent()) {
                return e;
            }
            if (out.size() > MAX_HOSTS) {
                return Optional.of("'" + name + "' stands for more than " + MAX_HOSTS + " hosts");
            }
        }
        return Optional.empty();
    }

    /**
     * The values of a range: letters when both ends are in a-zA-Z (found as Python's str.index finds
     * a substring) and the step is a number other than 0, else numbers, as Python's range counts them.
     */
    private static Optional<String> values(String begin, String end, String step, int width, List<String> values) {
        int from = LETTERS.indexOf(begin);
        int to = LETTERS.indexOf(end);
        Optional<Long> by = pythonInt(step);
        if (from >= 0 && to >= 0) {
            if (from > to) {
                return Optional.of("must not start after its end");
            }
            if (by.isPresent() && by.get() != 0) {
                for (long i = from; by.get() > 0 && i <= to; i += by.get()) {
                    values.add(String.valueOf(LETTERS.charAt((int) i)));
                }
                return Optional.empty();
            }
        }
        Optional<Long> first = pythonInt(begin);
        Optional<Long> last = pythonInt(end);
        if (first.isEmpty() || last.isEmpty() || by.isEmpty()) {
            return Optional.of("must count numbers or letters");
        }
        long d = by.get();
        if (d == 0) {
            return Optional.of("has a step of 0");
        }
        for (long i = first.get(); d > 0 ? i <= last.get() : i > last.get() + 1; i += d) {
            if (values.size() > MAX_HOSTS) {
                return Optional.of("stands for more than " + MAX_HOSTS + " hosts");
            }
            values.add(zfill(Long.toString(i), width));
        }
        return Optional.empty();
    }

    /** Python's int() of a string: optional spaces and sign, digits with single underscores between them. */
    private static Optional<Long> pythonInt(String s) {
        String t = s.strip();
        if (!t.matches("[+-]?[0-9]+(?:_[0-9]+)*") || t.length() > 18) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(t.replace("_", "").replace("+", "")));
    }

    /** Python's str.zfill: zeros after any sign, up to {@code width}. */
    private static String zfill(String s, int width) {
        if (s.length() >= width) {
            return s;
        }
        boolean signed = s.startsWith("-") || s.startsWith("+");
        String digits = signed ? s.substring(1) : s;
        return (signed ? s.substring(0, 1) : "") + "0".repeat(width - s.length()) + digits;
    }

    record Result(List<String> names, Optional<String> error) {}
}
