package dev.opsctl.inventory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Random Ansible inventories, valid and invalid, from a grammar of the constructs Ansible's ini
 * and yaml plugins read, and of near misses: odd section headers, host ranges and ports, IPv6
 * addresses, quoting, comments, Python and YAML 1.1 literals, groups declared late or never,
 * cycles. No login or sudo password is ever set: opsctl refuses those on purpose. No host has the
 * name of a group, and 'ungrouped' has no children and is the child of no group but 'all': Ansible
 * reads those in ways opsctl does not follow (README: inventories).
 */
final class GeneratedInventories {
    private static final List<String> GROUPS = List.of("web", "db", "app", "prod", "edge", "web-eu", "1db", "all", "ungrouped",
            "lb", "g.x", "dbs");
    private static final List<String> HOSTS = List.of("h1", "h2", "web01", "db1", "lb1", "10.0.0.1", "2001:db8::1", "fe80::1:22",
            "host.example.com", "web1", "ünï", "h_1", "H1");
    private static final List<String> INI_VALUES = List.of("1", "22", "0x1F", "010", "00", "1_000", "1.5", "1e3", "-3", "+3",
            "True", "true", "False", "yes", "no", "None", "\"a b\"", "'a # b'", "a#b", "[1, 2]", "\"[1, 'x']\"", "{'a': 1}",
            "99999999999999999999", "2147483648", "\"\"", "''", "a\\ b", "\"a\\\"b\"", "\"unterminated", "'x'\"y\"", "u'x'",
            "\"(1, 2)\"", "10.0.0.2", "~/.ssh/id", "/keys/a", "deploy", "local", "ssh", "\"\\x41\"", "'1'", "-0", ".5", "5.",
            "0b11", "0o17", "1e400");
    private static final List<String> YAML_VALUES = List.of("1", "22", "\"22\"", "0x1F", "010", "0o17", "1_000", "1:30", "1.5",
            "1e3", "1.0e3", ".inf", "-.5", "True", "true", "TRUE", "yes", "No", "on", "off", "y", "n", "~", "null", "", "'a b'",
            "\"a # b\"", "a#b", "a # b", "[1, two]", "{a: 1}", "2001-01-01", "99999999999999999999", "deploy", "local", "ssh",
            "10.0.0.2", "/keys/a", "'yes'", "!!str 1", "0.", "-0", "+1", "0b11", "1__0", "=");
    private static final List<String> VAR_NAMES = List.of("ansible_host", "ansible_ssh_host", "ansible_port", "ansible_ssh_port",
            "ansible_user", "ansible_ssh_user", "ansible_become", "ansible_become_user", "ansible_connection",
            "ansible_private_key_file", "ansible_ssh_private_key_file", "x", "note", "n", "list", "ansible_group_priority");

    private final Random random;

    GeneratedInventories(long seed) {
        this.random = new Random(seed);
    }

    String ini() {
        StringBuilder out = new StringBuilder();
        // Most sections name the file's own groups, each of which gets a [group] section somewhere,
        // so that most files are not refused for a group never declared.
        List<String> own = new ArrayList<>(GROUPS);
        java.util.Collections.shuffle(own, random);
        own = own.subList(0, 2 + random.nextInt(3));
        List<String> undeclared = new ArrayList<>(own);
        if (chance(40)) {
            lines(out, 1 + random.nextInt(3), this::iniHostLine);
        }
        int blocks = 1 + random.nextInt(6);
        for (int b = 0; b < blocks || !undeclared.isEmpty(); b++) {
            String group = b >= blocks ? undeclared.get(0) : chance(95) ? pick(own) : group();
            int kind = b >= blocks ? 0 : random.nextInt(20);
            if (kind < 8) {
                undeclared.remove(group);
                out.append(header(group, "")).append('\n');
                lines(out, random.nextInt(4), this::iniHostLine);
            } else if (kind < 13) {
                out.append(header(group, ":vars")).append('\n');
                lines(out, random.nextInt(4), this::iniVarsLine);
            } else if (kind < 18 && !group.equals("ungrouped")) {
                undeclared.remove(group);
                out.append(header(group, ":children")).append('\n');
                List<String> children = own.stream().filter(g -> !g.equals(group) || chance(5)).filter(g -> !g.equals("ungrouped")).toList();
                lines(out, random.nextInt(3), () -> chance(90) && !children.isEmpty() ? pick(children) : childLine());
            } else {
                out.append(pick(List.of("[" + group + ":hosts]", "[" + group + ":Vars]", "[" + group + ":foo]", "[" + group + ":]",
                        "[:" + "vars]", "[]", "[" + group + ":vars:x]", "[" + group + "]x", "[" + group + "] ; c", "[" + group,
                        "[" + group + "]]", "[[" + group + "]]", "[a b]"))).append('\n');
                lines(out, random.nextInt(3), this::iniHostLine);
            }
            if (chance(20)) {
                out.append(pick(List.of("# comment", "; comment", "  # indented", "", "\t", "#[web]"))).append('\n');
            }
        }
        return out.toString();
    }

    private String header(String group, String type) {
        String name = chance(3) ? pick(List.of(" " + group + " ", group + " ", "", group + "#")) : group;
        String tail = chance(85) ? "" : pick(List.of(" # c", "\t#c", "  ", " ; c", "#c"));
        return "[" + name + type + "]" + tail;
    }

    private String iniHostLine() {
        StringBuilder line = new StringBuilder(chance(10) ? pick(List.of(" ", "\t")) : "");
        line.append(iniHostName());
        int vars = random.nextInt(3);
        for (int i = 0; i < vars; i++) {
            line.append(' ').append(chance(97) ? iniVar() : pick(List.of("novalue", "=5", "a=b=c", ";x")));
        }
        if (chance(10)) {
            line.append(pick(List.of(" # trailing", " # trailing", " ;x", "#x", "  ")));
        }
        return line.toString();
    }

    private String iniHostName() {
        return chance(80) ? host() : pick(List.of("web[01:03]", "web[1:3]", "db-[a:c]", "x[1:10:3]", "x[3:1]", "x[01:3]", "x[a:3]",
                "x[1:3:0]", "x[:2]", "x[1:]", "[1:2]x", "x[1:2][a:b]", "h1:2200", "h1:0", "h1:", "10.0.0.1:22",
                "[2001:db8::1]:2222", "[2001:db8::1]", "h_:22", "h-:22", "a:b:22", "\"h 1\"", "---", "h1:99999", "x[A:C]",
                "x[y:B]", "x[08:10]", "web[1:3].example.com:22", "[h1]:22", "'' x=1", "h\\ 2", "h1:22:33", "x[1:2:3:4]"));
    }

    private String iniVarsLine() {
        if (chance(4)) {
            return pick(List.of("noequals", "=5", " = ", "a b = c", "k = v = w"));
        }
        String sep = pick(List.of("=", " = ", "= ", "\t=\t"));
        String name = varName();
        String value = chance(80) ? value(name, INI_VALUES) : pick(List.of("a b", "a # c", "1 # c", "\"a\" # c", "'a' 'b'", "[1,", "'a' b"));
        return name + sep + value;
    }

    private String iniVar() {
        String name = varName();
        String value = value(name, INI_VALUES);
        return name + "=" + (value.contains(" ") && !value.startsWith("\"") && !value.startsWith("'") && chance(90) ? "\"" + value + "\"" : value);
    }

    /** A variable not yet in {@code names}: opsctl refuses a duplicate key on purpose, which hides the rest. */
    private void yamlVar(StringBuilder out, int indent, Set<String> names) {
        String name = varName();
        if (names.add(name) || chance(3)) {
            out.append(" ".repeat(indent)).append(name).append(": ").append(value(name, YAML_VALUES)).append('\n');
        }
    }

    /** Mostly values a connection variable can take, so that most files get past opsctl's checks of them. */
    private String value(String name, List<String> any) {
        if (chance(20)) {
            return pick(any);
        }
        return switch (name) {
            case "ansible_port", "ansible_ssh_port" -> pick(List.of("22", "2222", "0x16", "\"2200\"", "'2201'", "022"));
            case "ansible_connection" -> pick(List.of("local", "ssh", "smart", "paramiko", "Local", "'local'"));
            case "ansible_group_priority" -> pick(List.of("1", "5", "10", "-1", "2"));
            default -> pick(any);
        };
    }

    private String childLine() {
        return chance(85) ? group() : pick(List.of("web # c", "web x", "web:vars", "nosuch", "web;c", " web", "[web]", "web\t#c"));
    }

    String yaml() {
        StringBuilder out = new StringBuilder();
        if (chance(5)) {
            return pick(List.of("", "# nothing\n", "[]\n", "all\n", "---\nall:\n---\nweb:\n", "all: [h1]\n", "plugin: ini\n"));
        }
        int groups = 1 + random.nextInt(3);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < groups; i++) {
            String name = i == 0 && chance(70) ? "all" : yamlGroupName();
            if (names.add(name)) {
                yamlGroup(out, name, 0, 0);
            }
        }
        return out.toString();
    }

    private void yamlGroup(StringBuilder out, String name, int indent, int depth) {
        String pad = " ".repeat(indent);
        int shape = random.nextInt(20);
        if (shape == 0) {
            out.append(pad).append(name).append(": ").append(pick(List.of("[h1]", "h1", "5", "{}"))).append('\n');
            return;
        }
        if (shape < 3) {
            out.append(pad).append(name).append(":\n");
            return;
        }
        out.append(pad).append(name).append(":\n");
        String inner = " ".repeat(indent + 2);
        List<String> sections = new ArrayList<>(List.of("hosts", "vars", "children"));
        java.util.Collections.shuffle(sections, random);
        int count = 1 + random.nextInt(3);
        for (String section : sections.subList(0, count)) {
            if (section.equals("children") && depth >= 2) {
                continue;
            }
            int form = random.nextInt(20);
            if (form == 0) {
                out.append(inner).append(section).append(": ").append(pick(List.of("[h1, h2]", section.equals("children") ? "web" : "h1", "5", "~", "{}")))
                        .append('\n');
                continue;
            }
            out.append(inner).append(section).append(":\n");
            int entries = random.nextInt(4);
            Set<String> keys = new HashSet<>();
            for (int e = 0; e < entries; e++) {
                switch (section) {
                    case "hosts" -> yamlHost(out, indent + 4, keys);
                    case "vars" -> yamlVar(out, indent + 4, keys);
                    default -> {
                        String child = yamlGroupName();
                        if ((name.equals("all") || !child.equals("ungrouped")) && keys.add(child)) {
                            yamlGroup(out, child, indent + 4, depth + 1);
                        }
                    }
                }
            }
        }
        if (chance(5)) {
            out.append(inner).append(pick(List.of("host: {h9: }", "var:\n" + inner + "  x: 1", "foo: 1"))).append('\n');
        }
    }

    private void yamlHost(StringBuilder out, int indent, Set<String> keys) {
        String pad = " ".repeat(indent);
        String name = chance(75) ? yamlKey(host()) : pick(List.of("web[01:03]", "db-[a:c]", "x[3:1]", "x[01:3]", "123", "'123'", "1.5",
                "true", "'h1:2200'", "'[2001:db8::1]:22'", "x[1:3:0]", "'h1:'", "'---'", "h1 x=1", "null", "yes", "2001-01-01"));
        if (!keys.add(name)) {
            return;
        }
        int shape = random.nextInt(10);
        if (shape < 4) {
            out.append(pad).append(name).append(":\n");
        } else if (shape < 9) {
            out.append(pad).append(name).append(":\n");
            int vars = 1 + random.nextInt(3);
            Set<String> names = new HashSet<>();
            for (int i = 0; i < vars; i++) {
                yamlVar(out, indent + 2, names);
            }
        } else {
            out.append(pad).append(name).append(": ").append(pick(List.of("5", "[x]", "a=1", "''", "0", "[]", "false"))).append('\n');
        }
    }

    private String yamlGroupName() {
        return chance(90) ? yamlKey(group()) : pick(List.of("123", "'124'", "web eu", "~", "hosts", "vars", "''"));
    }

    private static String yamlKey(String name) {
        return name.contains(":") || name.contains("[") || name.contains("#") ? "'" + name + "'" : name;
    }

    private String group() {
        return pick(GROUPS);
    }

    private String host() {
        return pick(HOSTS);
    }

    private String varName() {
        return pick(VAR_NAMES);
    }

    private void lines(StringBuilder out, int n, Supplier<String> line) {
        for (int i = 0; i < n; i++) {
            out.append(line.get()).append('\n');
        }
    }

    private boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    private <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }
}
