package dev.opsctl.inventory;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A subscript on a pattern term, as Ansible reads it: {@code web[0]} is the first host of
 * {@code web}, {@code web[-1]} the last, {@code web[1:3]} the second to the fourth and {@code
 * web[2:]} the third onwards ({@code web[1-3]}, which Ansible still reads, too). A {@code ~regex}
 * term has none.
 */
record HostSubscript(String base, int start, Optional<Integer> end) {
    private static final Pattern SUBSCRIPTED = Pattern.compile("(.+)\\[(?:(-?[0-9]+)|([0-9]+)[:-]([0-9]+)?)]");
    /** More hosts than any inventory has: an index past it is past them all, as any larger one would be. */
    private static final BigInteger BEYOND = BigInteger.valueOf(1_000_000_000);

    /** The term's base and subscript, or empty when it has none. */
    static Optional<HostSubscript> of(String term) {
        Matcher m = SUBSCRIPTED.matcher(term);
        if (term.startsWith("~") || !m.matches()) {
            return Optional.empty();
        }
        if (m.group(2) != null) {
            return Optional.of(new HostSubscript(m.group(1), index(m.group(2)), Optional.empty()));
        }
        int end = m.group(4) == null ? -1 : index(m.group(4));
        // Ansible reads an end of 0 as no range at all: web[2:0] is web[2].
        return Optional.of(new HostSubscript(m.group(1), index(m.group(3)), end == 0 ? Optional.empty() : Optional.of(end)));
    }

    /** Python's int() of any number of digits, brought within +-BEYOND. */
    private static int index(String digits) {
        return new BigInteger(digits).max(BEYOND.negate()).min(BEYOND).intValue();
    }

    /** The hosts this subscript picks from {@code hosts}, or empty when its index is outside them. */
    Optional<List<String>> apply(List<String> hosts) {
        if (end.isEmpty()) {
            int i = start < 0 ? hosts.size() + start : start;
            return i >= 0 && i < hosts.size() ? Optional.of(List.of(hosts.get(i))) : Optional.empty();
        }
        int last = end.get() == -1 ? hosts.size() - 1 : end.get();
        return Optional.of(start > last || start >= hosts.size() ? List.of() : hosts.subList(start, Math.min(last + 1, hosts.size())));
    }
}
