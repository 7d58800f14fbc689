package dev.opsctl.inventory;

import dev.opsctl.source.DidYouMean;
import dev.opsctl.source.Problems;
import dev.opsctl.source.SourcePos;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Hosts, groups and variables as a reader found them, before resolution. Resolution follows
 * Ansible: every host is in {@code all}; a group contains its children's hosts; variables merge
 * from {@code all} through parent groups to child groups (deeper wins, then the higher {@code ansible_group_priority}, then by name), and host
 * variables win over all group variables. Not thread-safe; one per load.
 */
final class InventoryDraft {
    /** The order of an inventory's hosts: as its hosts are declared (opsctl YAML), or as Ansible runs them. */
    enum HostOrder {
        DECLARED,
        ANSIBLE
    }

    record GroupDraft(String name, SourcePos pos, Set<String> hosts, Set<String> children, Map<String, Object> vars,
            Map<String, SourcePos> refs) {}

    private final String source;
    private final Problems problems;
    private final Map<String, Map<String, Object>> hostVars = new LinkedHashMap<>();
    private final Map<String, SourcePos> hostPos = new HashMap<>();
    private final Map<String, GroupDraft> groups = new LinkedHashMap<>();
    private static final String PRIORITY = "ansible_group_priority";
    private final Map<String, Integer> priorities = new HashMap<>();
    /** Host fields given explicitly (opsctl YAML); they win over {@code ansible_*} variables. */
    private final Map<String, Map<String, Object>> hostFields = new HashMap<>();
    /** The variables of a line naming a range of hosts are checked once, not once per host. */
    private final Set<Map<String, Object>> checkedVars = Collections.newSetFromMap(new IdentityHashMap<>());

    InventoryDraft(String source, Problems problems) {
        this.source = source;
        this.problems = problems;
        // Ansible creates both before it reads a line; a glob meets them first.
        group("all", new SourcePos(source, 0, 0));
        group("ungrouped", new SourcePos(source, 0, 0));
    }

    Problems problems() {
        return problems;
    }

    /** Declares a host (again: its variables merge, later ones win), its variables written at {@code varPos}. */
    void host(String name, SourcePos pos, Map<String, Object> vars, Map<String, SourcePos> varPos) {
        if (checkedVars.add(vars)) {
            AnsibleVars.check(pos, varPos, "host '" + name + "'", vars, problems);
        }
        hostVars.computeIfAbsent(name, k -> new LinkedHashMap<>()).putAll(vars);
        hostPos.putIfAbsent(name, pos);
    }

    /**
     * Declares a host as Ansible's add_host does: the port written after its name ({@code h1:2222})
     * counts only where the host is first declared, a port 0 not at all, and its own ansible_port wins.
     */
    void host(String name, SourcePos pos, Optional<Integer> port, Map<String, Object> vars, Map<String, SourcePos> varPos) {
        boolean first = !hasHost(name);
        host(name, pos, vars, varPos);
        if (first) {
            port.filter(p -> p != 0).ifPresent(p -> hostVars.get(name).putIfAbsent("ansible_port", p));
        }
    }

    void hostFields(String name, Map<String, Object> fields) {
        hostFields.computeIfAbsent(name, k -> new LinkedHashMap<>()).putAll(fields);
    }

    boolean hasHost(String name) {
        return hostVars.containsKey(name);
    }

    Set<String> hostNames() {
        return hostVars.keySet();
    }

    GroupDraft group(String name, SourcePos pos) {
        return groups.computeIfAbsent(name, n -> new GroupDraft(n, pos, new LinkedHashSet<>(), new LinkedHashSet<>(),
                new LinkedHashMap<>(), new HashMap<>()));
    }

    /**
     * Sets variables of a group, declared at {@code pos}, each written at {@code varPos} when known.
     * As in Ansible, {@code ansible_group_priority} is no variable: it orders groups of one depth
     * when their variables merge (higher wins), and must be a whole number.
     */
    void groupVars(String group, SourcePos pos, Map<String, Object> vars, Map<String, SourcePos> varPos) {
        AnsibleVars.check(pos, varPos, "group '" + group + "'", vars, problems);
        Map<String, Object> own = new LinkedHashMap<>(vars);
        Object priority = own.remove(PRIORITY);
        if (priority != null) {
            pythonInt(priority).ifPresentOrElse(p -> priorities.put(group, p), () -> problems.error(varPos.getOrDefault(PRIORITY, pos),
                    "group '" + group + "': " + PRIORITY + " must be a whole number, not '" + priority + "'",
                    "give groups of one depth priorities such as 1, 2, 10; the highest wins"));
        }
        group(group, pos).vars().putAll(own);
    }

    /** Python's int() of a value, as Ansible's set_priority takes it. */
    private static Optional<Integer> pythonInt(Object o) {
        if (o instanceof Boolean b) {
            return Optional.of(b ? 1 : 0);
        }
        if (o instanceof Double d && (d.isInfinite() || d.isNaN())) {
            return Optional.empty();
        }
        if (o instanceof Number n) {
            return Optional.of(n.intValue());
        }
        String t = String.valueOf(o).strip();
        return t.matches("[+-]?[0-9]+(?:_[0-9]+)*") && t.length() < 10 ? Optional.of(Integer.parseInt(t.replace("_", "")))
                : Optional.empty();
    }

    boolean hasGroup(String name) {
        return groups.containsKey(name);
    }

    void member(String group, String host, SourcePos pos) {
        group(group, pos).hosts().add(host);
    }

    void child(String parent, String child, SourcePos pos) {
        GroupDraft g = group(parent, pos);
        if (g.children().add(child)) {
            g.refs().put(child, pos);
        }
    }

    /** Checks references and cycles, merges variables, and builds the inventory (empty on errors). */
    Optional<Inventory> resolve(boolean undefinedChildrenAreErrors, HostOrder order) {
        for (GroupDraft g : groups.values()) {
            for (String c : g.children()) {
                if (c.equals("all") && !g.name().equals("all")) {
                    // Ansible puts every group without a parent under 'all', which makes a loop of this.
                    problems.error(g.refs().getOrDefault(c, g.pos()), "group 'all' is in the children of '" + g.name()
                            + "': every group is in 'all', so this makes a loop", "remove 'all' from the children of '" + g.name() + "'");
                }
                if (!groups.containsKey(c) && undefinedChildrenAreErrors) {
                    problems.error(g.refs().getOrDefault(c, g.pos()), "unknown group '" + c + "' in the children of '"
                            + g.name() + "'", DidYouMean.hint(c, groups.keySet()));
                }
            }
        }
        Map<String, List<String>> parents = parentsOfEachGroup();
        Map<String, Integer> depth = new HashMap<>();
        for (String g : groups.keySet()) {
            depth(g, parents, depth, new LinkedHashSet<>());
        }
        if (problems.hasErrors()) {
            return Optional.empty();
        }
        Map<String, Set<String>> groupsOfHost = new LinkedHashMap<>();
        Map<String, List<String>> listedIn = new HashMap<>();
        hostVars.keySet().forEach(h -> groupsOfHost.put(h, new LinkedHashSet<>(List.of("all"))));
        for (GroupDraft g : groups.values()) {
            for (String h : g.hosts()) {
                listedIn.computeIfAbsent(h, k -> new ArrayList<>()).add(g.name());
                addWithAncestors(h, g.name(), parents, groupsOfHost);
            }
        }
        // As Ansible reconciles: a host listed in 'ungrouped' and in another group leaves 'ungrouped';
        // a host in no group joins it, after the hosts listed there.
        groupsOfHost.forEach((host, gs) -> {
            if (groups.get("ungrouped").hosts().contains(host) && gs.size() > 2) {
                groups.get("ungrouped").hosts().remove(host);
                gs.clear();
                gs.add("all");
                listedIn.get(host).stream().filter(g -> !g.equals("ungrouped"))
                        .forEach(g -> addWithAncestors(host, g, parents, groupsOfHost));
            } else if (gs.size() == 1) {
                member("ungrouped", host, new SourcePos(source, 0, 0));
                gs.add("ungrouped");
            }
        });
        Map<String, List<String>> members = order == HostOrder.ANSIBLE ? AnsibleHostOrder.of(groups) : declaredOrder(groupsOfHost);
        List<Host> hosts = new ArrayList<>();
        for (String name : members.get("all")) {
            List<String> ordered = new ArrayList<>(groupsOfHost.get(name));
            ordered.sort(Comparator.comparing((String g) -> depth.getOrDefault(g, 0))
                    .thenComparing(g -> priorities.getOrDefault(g, 1)).thenComparing(g -> g));
            Map<String, Object> vars = new LinkedHashMap<>();
            for (String g : ordered) {
                vars.putAll(groups.get(g).vars());
            }
            vars.putAll(hostVars.get(name));
            hosts.add(toHost(name, ordered, vars));
        }
        return problems.hasErrors() ? Optional.empty() : Optional.of(new Inventory(source, hosts, members, List.copyOf(hostVars.keySet()),
                ambiguousNames(members)));
    }

    /**
     * Hosts named like a group that holds other hosts too. When the group holds only that host
     * (a {@code [localhost]} or {@code [bastion]} section of its one host), both of Ansible's
     * readings of the name select it alone, so there is nothing to refuse.
     */
    private List<AmbiguousName> ambiguousNames(Map<String, List<String>> members) {
        List<AmbiguousName> out = new ArrayList<>();
        for (GroupDraft g : groups.values()) {
            if (hostVars.containsKey(g.name()) && !members.get(g.name()).equals(List.of(g.name()))) {
                out.add(new AmbiguousName(g.name(), hostPos.get(g.name()), g.pos()));
            }
        }
        return out;
    }

    private Map<String, List<String>> declaredOrder(Map<String, Set<String>> groupsOfHost) {
        Map<String, List<String>> members = new LinkedHashMap<>();
        groups.keySet().forEach(g -> members.put(g, new ArrayList<>()));
        groupsOfHost.forEach((host, gs) -> gs.forEach(g -> members.get(g).add(host)));
        return members;
    }

    /** The groups that name each group in their children, in the order they were declared. */
    private Map<String, List<String>> parentsOfEachGroup() {
        Map<String, List<String>> parents = new HashMap<>();
        for (GroupDraft g : groups.values()) {
            for (String c : g.children()) {
                parents.computeIfAbsent(c, k -> new ArrayList<>()).add(g.name());
            }
        }
        return parents;
    }

    private void addWithAncestors(String host, String group, Map<String, List<String>> parents, Map<String, Set<String>> groupsOfHost) {
        if (!groupsOfHost.get(host).add(group)) {
            return;
        }
        for (String parent : parents.getOrDefault(group, List.of())) {
            addWithAncestors(host, parent, parents, groupsOfHost);
        }
    }

    private int depth(String group, Map<String, List<String>> parents, Map<String, Integer> memo, Set<String> path) {
        if (memo.containsKey(group)) {
            return memo.get(group);
        }
        if (!path.add(group)) {
            // At the children entry that closes the loop: 'all' and 'ungrouped' are declared nowhere.
            GroupDraft g = groups.get(group);
            String child = List.copyOf(path).get(path.size() - 1);
            problems.error(g.refs().getOrDefault(child, g.pos()), "group '" + group + "' contains itself: " + String.join(" -> ", path)
                    + " -> " + group, "remove one of the 'children' entries");
            memo.put(group, 0);
            return 0;
        }
        int d = group.equals("all") ? 0 : 1;
        for (String parent : parents.getOrDefault(group, List.of())) {
            d = Math.max(d, depth(parent, parents, memo, path) + 1);
        }
        path.remove(group);
        memo.put(group, d);
        return d;
    }

    private Host toHost(String name, List<String> groupNames, Map<String, Object> vars) {
        Map<String, Object> fields = hostFields.getOrDefault(name, Map.of());
        SourcePos pos = hostPos.getOrDefault(name, new SourcePos(source, 0, 0));
        String address = text(fields.get("address")).or(() -> AnsibleVars.ADDRESS.text(vars)).orElse(name);
        Optional<Integer> port = integer(name, "port", fields.get("port"), pos)
                .or(() -> AnsibleVars.PORT.in(vars).flatMap(e -> integer(name, e.getKey(), e.getValue(), pos)));
        Optional<String> user = text(fields.get("user")).or(() -> AnsibleVars.USER.text(vars));
        Optional<String> key = text(fields.get("identity_file")).or(() -> AnsibleVars.KEY_FILE.text(vars));
        boolean become = bool(fields.get("become")).or(() -> AnsibleVars.BECOME.in(vars).flatMap(e -> bool(e.getValue()))).orElse(false);
        String becomeUser = text(fields.get("become_user")).or(() -> AnsibleVars.BECOME_USER.text(vars)).orElse("root");
        String conn = text(fields.get("connection")).or(() -> AnsibleVars.CONNECTION.text(vars)).orElse("ssh")
                .toLowerCase(Locale.ROOT);
        Connection connection = switch (conn) {
            case "local" -> Connection.LOCAL;
            case "ssh", "smart", "paramiko" -> Connection.SSH;
            default -> {
                problems.error(pos, "host '" + name + "' has connection '" + conn + "', which opsctl does not support",
                        "use 'ssh' or 'local'");
                yield Connection.SSH;
            }
        };
        return new Host(name, address, port, user, key, become, becomeUser, connection, groupNames, vars);
    }

    private static Optional<String> text(Object o) {
        return o == null ? Optional.empty() : Optional.of(String.valueOf(o)).filter(s -> !s.isEmpty());
    }

    private static Optional<Boolean> bool(Object o) {
        if (o instanceof Boolean b) {
            return Optional.of(b);
        }
        return text(o).map(s -> switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            default -> false;
        });
    }

    private Optional<Integer> integer(String host, String key, Object o, SourcePos pos) {
        if (o == null) {
            return Optional.empty();
        }
        try {
            int p = o instanceof Integer i ? i : Integer.parseInt(String.valueOf(o).strip());
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return Optional.of(p);
        } catch (NumberFormatException e) {
            problems.error(pos, "host '" + host + "': '" + key + "' must be a port number (1-65535), not '" + o + "'");
            return Optional.empty();
        }
    }
}
