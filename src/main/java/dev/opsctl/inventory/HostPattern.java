package dev.opsctl.inventory;

import dev.opsctl.source.DidYouMean;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Ansible host patterns: {@code all} or {@code *}, host and group names, globs ({@code web*}),
 * {@code ~regex}, unions ({@code a:b} or {@code a,b}), intersections ({@code a:&b}) and exclusions
 * ({@code a:!b}). Unions apply first, then intersections, then exclusions, as in Ansible. The
 * selection keeps inventory order. A term that matches nothing is an error (usually a typo).
 */
public record HostPattern(String text, List<String> union, List<String> intersect, List<String> exclude) {
    public HostPattern {
        union = List.copyOf(union);
        intersect = List.copyOf(intersect);
        exclude = List.copyOf(exclude);
    }

    public static HostPattern parse(String text) throws HostPatternException {
        List<String> union = new ArrayList<>();
        List<String> intersect = new ArrayList<>();
        List<String> exclude = new ArrayList<>();
        for (String raw : text.split("[:,]")) {
            String term = raw.strip();
            if (term.isEmpty()) {
                continue;
            }
            if (term.startsWith("&")) {
                intersect.add(term.substring(1));
            } else if (term.startsWith("!")) {
                exclude.add(term.substring(1));
            } else {
                union.add(term);
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

    public List<Host> select(Inventory inventory) throws HostPatternException {
        Set<String> chosen = new LinkedHashSet<>();
        for (String t : union) {
            chosen.addAll(term(inventory, t));
        }
        for (String t : intersect) {
            chosen.retainAll(term(inventory, t));
        }
        for (String t : exclude) {
            term(inventory, t).forEach(chosen::remove);
        }
        List<Host> out = inventory.hosts().stream().filter(h -> chosen.contains(h.name())).toList();
        if (out.isEmpty()) {
            throw new HostPatternException("host pattern '" + text + "' selects no hosts in '" + inventory.source() + "'");
        }
        return out;
    }

    private Set<String> term(Inventory inv, String t) throws HostPatternException {
        Set<String> out = new LinkedHashSet<>();
        if (t.equals("all") || t.equals("*")) {
            inv.hosts().forEach(h -> out.add(h.name()));
            return out;
        }
        List<String> group = inv.groups().get(t);
        if (group != null) {
            out.addAll(group);
        }
        inv.host(t).ifPresent(h -> out.add(h.name()));
        if (out.isEmpty() && (t.startsWith("~") || t.contains("*") || t.contains("?") || t.contains("["))) {
            Pattern p = regex(t);
            for (Host h : inv.hosts()) {
                if (p.matcher(h.name()).matches()) {
                    out.add(h.name());
                }
            }
            for (var g : inv.groups().entrySet()) {
                if (p.matcher(g.getKey()).matches()) {
                    out.addAll(g.getValue());
                }
            }
        }
        if (out.isEmpty()) {
            Set<String> names = new LinkedHashSet<>(inv.groups().keySet());
            inv.hosts().forEach(h -> names.add(h.name()));
            String hint = DidYouMean.closest(t, names).map(c -> "; did you mean '" + c + "'?").orElse("");
            throw new HostPatternException("'" + t + "' in host pattern '" + text + "' matches no host or group in '"
                    + inv.source() + "'" + hint);
        }
        return out;
    }

    private static Pattern regex(String t) throws HostPatternException {
        try {
            if (t.startsWith("~")) {
                return Pattern.compile(t.substring(1));
            }
            StringBuilder re = new StringBuilder();
            for (char c : t.toCharArray()) {
                switch (c) {
                    case '*' -> re.append(".*");
                    case '?' -> re.append('.');
                    case '[', ']' -> re.append(c);
                    default -> re.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return Pattern.compile(re.toString());
        } catch (PatternSyntaxException e) {
            throw new HostPatternException("invalid pattern '" + t + "': " + e.getDescription());
        }
    }
}
