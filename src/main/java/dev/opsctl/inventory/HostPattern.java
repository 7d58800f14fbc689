package dev.opsctl.inventory;

import dev.opsctl.source.DidYouMean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Ansible host patterns: {@code all} or {@code *}, host and group names, globs ({@code web*}),
 * {@code ~regex}, subscripts ({@code web[0]}, {@code web[1:3]}), unions ({@code a:b} or {@code a,b}),
 * intersections ({@code a:&b}) and exclusions ({@code a:!b}), split into terms as Ansible splits
 * them ({@link HostPatternTerms}). Unions apply first, then intersections, then exclusions, as in
 * Ansible, and the hosts come in the order the pattern names them. A term that matches nothing is
 * an error where Ansible warns and goes on without it: a typo in {@code all:!web-prod} would
 * otherwise run on the very hosts it was meant to spare.
 */
public record HostPattern(String text, List<String> union, List<String> intersect, List<String> exclude) {
    public HostPattern {
        union = List.copyOf(union);
        intersect = List.copyOf(intersect);
        exclude = List.copyOf(exclude);
    }

    public static HostPattern parse(String text) throws HostPatternException {
        return parse(List.of(text));
    }

    /** Several patterns as one, as Ansible reads a play's list of {@code hosts}. */
    public static HostPattern parse(List<String> patterns) throws HostPatternException {
        String text = String.join(",", patterns);
        List<String> union = new ArrayList<>();
        List<String> intersect = new ArrayList<>();
        List<String> exclude = new ArrayList<>();
        for (String pattern : patterns) {
            for (String term : HostPatternTerms.split(pattern)) {
                if (term.startsWith("&")) {
                    intersect.add(term.substring(1));
                } else if (term.startsWith("!")) {
                    exclude.add(term.substring(1));
                } else {
                    union.add(term);
                }
            }
        }
        if (union.isEmpty() && intersect.isEmpty() && exclude.isEmpty()) {
            throw new HostPatternException("empty host pattern '" + text + "'; use 'all' or a group or host name");
        }
        if (union.isEmpty()) {
            union.add("all");
        }
        return new HostPattern(text, union, intersect, exclude);
    }

    /** Parses {@code pattern} and selects from {@code inventory}. */
    public static List<Host> select(Inventory inventory, String pattern) throws HostPatternException {
        return parse(pattern).select(inventory);
    }

    /**
     * The hosts in the order Ansible evaluates the pattern: the union's terms in order, each in its
     * own order (a group's hosts in the group's order), a host once, where first met; then the
     * intersections and exclusions filter that list.
     */
    public List<Host> select(Inventory inventory) throws HostPatternException {
        Map<String, Host> byName = new HashMap<>();
        inventory.hosts().forEach(h -> byName.put(h.name(), h));
        Set<String> chosen = new LinkedHashSet<>();
        for (String t : union) {
            chosen.addAll(term(inventory, byName, "", t));
        }
        for (String t : intersect) {
            chosen.retainAll(new HashSet<>(term(inventory, byName, "&", t)));
        }
        for (String t : exclude) {
            term(inventory, byName, "!", t).forEach(chosen::remove);
        }
        if (chosen.isEmpty()) {
            throw new HostPatternException("host pattern '" + text + "' selects no hosts in '" + inventory.source() + "'");
        }
        return chosen.stream().map(byName::get).toList();
    }

    /** The hosts of {@code hosts} this pattern selects, in their order: what {@code --limit} does to a play's hosts. */
    public List<Host> limit(Inventory inventory, List<Host> hosts) throws HostPatternException {
        Set<String> allowed = new HashSet<>();
        select(inventory).forEach(h -> allowed.add(h.name()));
        return hosts.stream().filter(h -> allowed.contains(h.name())).toList();
    }

    private List<String> term(Inventory inv, Map<String, Host> byName, String prefix, String t) throws HostPatternException {
        Optional<HostSubscript> subscript = HostSubscript.of(t);
        String base = subscript.map(HostSubscript::base).orElse(t);
        refuseAmbiguous(inv, prefix + t, base);
        List<String> hosts = matches(inv, byName, base);
        if (hosts.isEmpty() && !inv.groups().containsKey(base)) {
            if (AnsibleLocalhost.NAMES.contains(base)) {
                throw new HostPatternException("'" + t + "' in host pattern '" + text + "' names no host in '" + inv.source()
                        + "', where Ansible would make up an implicit localhost (this machine, over a local connection); to run on"
                        + " this machine, add 'localhost ansible_connection=local' to the inventory");
            }
            List<String> emptyGroups = inv.groups().keySet().stream().filter(HostNameMatcher.of(base)).toList();
            if (!emptyGroups.isEmpty()) {
                throw new HostPatternException("'" + t + "' in host pattern '" + text + "' matches only empty groups ("
                        + String.join(", ", emptyGroups) + ") in '" + inv.source() + "'; add hosts to them or name a group that has some");
            }
            throw new HostPatternException("'" + t + "' in host pattern '" + text + "' matches no host or group in '"
                    + inv.source() + "'" + hint(inv, base));
        }
        // Ansible applies no subscript to an empty group: 'empty[0]' is nothing, not an error.
        if (subscript.isEmpty() || hosts.isEmpty()) {
            return hosts;
        }
        return subscript.get().apply(hosts).orElseThrow(() -> new HostPatternException("'" + t + "' in host pattern '" + text
                + "' is outside the " + hosts.size() + " hosts of '" + base + "'" + repeats(hosts) + "; the first is [0], the last [-1]"));
    }

    /** '*' is 'all', which reads every name one way; any other term that reaches an ambiguous name is refused. */
    private void refuseAmbiguous(Inventory inv, String written, String base) throws HostPatternException {
        if (inv.ambiguousNames().isEmpty() || base.equals("*")) {
            return;
        }
        Predicate<String> name = HostNameMatcher.of(base);
        for (AmbiguousName a : inv.ambiguousNames()) {
            if (name.test(a.name())) {
                throw new HostPatternException(a.refusal(written, base, text));
            }
        }
    }

    /**
     * The hosts a term names, in Ansible's order: a host's own name is that host; else the hosts of
     * each group it matches, then (when no group matched, or for a glob or regex) the hosts it
     * matches, groups and hosts taken in the order they were declared; failing all of those, a name
     * of this machine is the inventory's localhost ({@link AnsibleLocalhost}). A host is listed once per
     * match, as Ansible lists it, so that a subscript counts the same positions; the union drops
     * the repeats.
     */
    private static List<String> matches(Inventory inv, Map<String, Host> byName, String t) throws HostPatternException {
        if (byName.containsKey(t)) {
            return List.of(t);
        }
        List<String> out = new ArrayList<>();
        Predicate<String> name = HostNameMatcher.of(t);
        boolean group = false;
        for (var g : inv.groups().entrySet()) {
            if (name.test(g.getKey())) {
                out.addAll(g.getValue());
                group = true;
            }
        }
        if (!group || t.startsWith("~") || t.chars().anyMatch(c -> ".?*[".indexOf(c) >= 0)) {
            inv.declaredHosts().stream().filter(name).forEach(out::add);
        }
        if (out.isEmpty()) {
            AnsibleLocalhost.of(inv, t).ifPresent(out::add);
        }
        return List.copyOf(out);
    }

    private static String repeats(List<String> hosts) {
        long distinct = hosts.stream().distinct().count();
        return distinct == hosts.size() ? ""
                : " (" + distinct + " distinct: as in Ansible, a host counts once for each group and name the term matches)";
    }

    private String hint(Inventory inv, String t) {
        if (text.contains(",") && t.contains(":")) {
            return "; Ansible reads a pattern with a comma as comma-separated terms only: write 'a:!b:c' or 'a,!b,c'";
        }
        List<String> colonTerms = HostPatternTerms.atColons(t);
        if (colonTerms.size() > 1) {
            return "; Ansible reads '" + t + "' whole, as one host name or address (a host with a :port, or anything that"
                    + " starts like an IPv6 address), not as terms split at ':'; for several terms write '"
                    + String.join(",", colonTerms) + "'";
        }
        Set<String> names = new LinkedHashSet<>(inv.groups().keySet());
        inv.hosts().forEach(h -> names.add(h.name()));
        return DidYouMean.closest(t, names).map(c -> "; did you mean '" + c + "'?").orElse("");
    }
}
