package dev.opsctl.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Ansible host ranges: {@code web[01:03]} is web01, web02, web03; {@code [a:c]} works for letters. */
final class HostRanges {
    private static final Pattern RANGE = Pattern.compile("\\[([0-9]+|[a-z]):([0-9]+|[a-z])(?::([0-9]+))?]");
    private static final int MAX_HOSTS = 100_000;

    private HostRanges() {}

    /** The names a pattern stands for, or an error message. */
    static Result expand(String name) {
        Matcher m = RANGE.matcher(name);
        if (!m.find()) {
            return new Result(List.of(name), Optional.empty());
        }
        String from = m.group(1);
        String to = m.group(2);
        int step = m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
        String prefix = name.substring(0, m.start());
        String rest = name.substring(m.end());
        List<String> out = new ArrayList<>();
        boolean numeric = Character.isDigit(from.charAt(0));
        if (numeric != Character.isDigit(to.charAt(0)) || step < 1) {
            return new Result(List.of(), Optional.of("invalid host range '" + m.group() + "' in '" + name + "'"));
        }
        long a = numeric ? Long.parseLong(from) : from.charAt(0);
        long b = numeric ? Long.parseLong(to) : to.charAt(0);
        if (a > b || (b - a) / step > MAX_HOSTS) {
            return new Result(List.of(), Optional.of("invalid host range '" + m.group() + "' in '" + name
                    + "': the start must not be after the end"));
        }
        int width = numeric && from.startsWith("0") ? from.length() : 0;
        for (long i = a; i <= b; i += step) {
            String v = numeric ? (width > 0 ? String.format("%0" + width + "d", i) : Long.toString(i)) : String.valueOf((char) i);
            Result tail = expand(prefix + v + rest);
            if (tail.error().isPresent()) {
                return tail;
            }
            out.addAll(tail.names());
        }
        return new Result(out, Optional.empty());
    }

    record Result(List<String> names, Optional<String> error) {}
}
