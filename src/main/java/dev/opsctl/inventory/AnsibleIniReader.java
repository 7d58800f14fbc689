package dev.opsctl.inventory;

import dev.opsctl.source.Problems;
import dev.opsctl.source.SourcePos;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an Ansible INI inventory: hosts before any section, {@code [group]} host lines with
 * {@code key=value} variables (and {@code host:port}), {@code [group:vars]} and
 * {@code [group:children]}; host ranges like {@code web[01:03]}. Problems carry line:col.
 */
final class AnsibleIniReader {
    /** Ansible's own pattern: no spaces inside the brackets, a '#' comment after them. */
    private static final Pattern SECTION = Pattern.compile("\\[([^:\\]" + PythonStr.SPACE_CLASS + "]+)(?::(\\w+))?\\]["
            + PythonStr.SPACE_CLASS + "]*(?:#.*)?");
    /** A line of a {@code [group:children]} section, as Ansible matches it. */
    private static final Pattern GROUP_NAME = Pattern.compile("([^:\\]" + PythonStr.SPACE_CLASS + "]+)[" + PythonStr.SPACE_CLASS
            + "]*(?:#.*)?");

    private enum Kind {
        HOSTS,
        VARS,
        CHILDREN
    }

    /** A child named in {@code [parent:children]} before its own section. */
    private record PendingChild(String parent, SourcePos pos) {}

    private AnsibleIniReader() {}

    static void read(String file, String text, InventoryDraft draft) {
        Problems problems = draft.problems();
        // Ansible numbers the lines of str.splitlines(); the source is shown with the same numbers.
        List<String> lines = PythonStr.lines(text);
        problems.addSource(file, String.join("\n", lines));
        // As in Ansible, the lines before any section are hosts of 'ungrouped'.
        String group = "ungrouped";
        Kind kind = Kind.HOSTS;
        // As in Ansible, a child named before its section joins its parents when that section comes.
        Map<String, List<PendingChild>> pending = new LinkedHashMap<>();
        // As in Ansible, [g:vars] does not declare g: a [g] or [g:children] section must, before or after.
        Map<String, SourcePos> varsOnly = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String s = PythonStr.strip(line);
            int indent = PythonStr.leadingSpaces(line) + 1;
            if (s.isEmpty() || s.startsWith("#") || s.startsWith(";")) {
                continue;
            }
            SourcePos pos = new SourcePos(file, i + 1, indent);
            Matcher header = SECTION.matcher(s);
            if (!header.matches() && s.startsWith("[") && s.endsWith("]")) {
                problems.error(pos, "'" + s + "' is not a section header",
                        "write [group], [group:vars] or [group:children], with no spaces inside the brackets;"
                                + " a '# comment' may follow");
                kind = null;
                continue;
            }
            // As in Ansible, any other line, such as '[h1]:22' or '[web', is a line of the section it is in.
            if (header.matches()) {
                group = header.group(1);
                String type = header.group(2);
                kind = type == null ? Kind.HOSTS : switch (type) {
                    case "hosts" -> Kind.HOSTS;
                    case "vars" -> Kind.VARS;
                    case "children" -> Kind.CHILDREN;
                    default -> null;
                };
                if (kind == null) {
                    problems.error(new SourcePos(file, i + 1, indent + group.length() + 2),
                            "unknown section type '" + type + "' in '" + s + "'",
                            "use [" + group + "] (or [" + group + ":hosts]), [" + group + ":vars] or [" + group + ":children]");
                    continue;
                }
                if (kind == Kind.VARS && !draft.hasGroup(group) && !pending.containsKey(group)) {
                    varsOnly.put(group, pos);
                }
                draft.group(group, pos);
                if (kind != Kind.VARS) {
                    varsOnly.remove(group);
                    for (PendingChild p : pending.getOrDefault(group, List.of())) {
                        draft.child(p.parent(), group, p.pos());
                    }
                    pending.remove(group);
                }
                continue;
            }
            if (kind == null) {
                continue; // the lines of a section whose header was refused
            }
            switch (kind) {
                case VARS -> {
                    int eq = line.indexOf('=');
                    if (eq < 0) {
                        problems.error(pos, "expected 'name=value' in [" + group + ":vars]");
                        continue;
                    }
                    // As Ansible reads it: all after the first '=', quotes and any '#' included, is the value.
                    String key = PythonStr.strip(line.substring(0, eq));
                    String value = PythonStr.strip(line.substring(eq + 1));
                    draft.groupVars(group, new SourcePos(file, i + 1, line.indexOf(key) + 1), Map.of(key, typed(value)), Map.of());
                }
                case CHILDREN -> {
                    Matcher name = GROUP_NAME.matcher(s);
                    if (!name.matches()) {
                        problems.error(pos, "'" + s + "' in [" + group + ":children] is not a group name",
                                "write one group a line, without spaces or ':'; a '# comment' may follow");
                        continue;
                    }
                    String child = name.group(1);
                    if (draft.hasGroup(child)) {
                        draft.child(group, child, pos);
                    } else {
                        pending.computeIfAbsent(child, k -> new ArrayList<>()).add(new PendingChild(group, pos));
                    }
                }
                // Ansible splits the stripped line; spaces in place of what was stripped keep the columns.
                case HOSTS -> host(file, i + 1, " ".repeat(indent - 1) + s, group, draft);
            }
        }
        varsOnly.forEach((g, pos) -> problems.error(pos, "[" + g + ":vars] sets variables of group '" + g
                + "', which no [" + g + "] or [" + g + ":children] section declares", declareHint(g)));
        pending.forEach((child, parents) -> parents.forEach(p -> {
            if (draft.hasGroup(child)) {
                problems.error(p.pos(), "group '" + child + "' in the children of '" + p.parent()
                        + "' is never declared: [" + child + ":vars] does not declare it", declareHint(child));
            } else {
                // resolve() reports it as an unknown group, with the names it may have meant.
                draft.child(p.parent(), child, p.pos());
            }
        }));
    }

    private static String declareHint(String group) {
        return "add a [" + group + "] section (it may be empty), or correct the name";
    }

    private static void host(String file, int line, String text, String group, InventoryDraft draft) {
        Problems problems = draft.problems();
        ShellWords.Result words = ShellWords.split(text);
        if (words.error() != null) {
            problems.error(new SourcePos(file, line, words.errorCol()), words.error(),
                    "Ansible splits a host line as a shell does: close every quote, and write '\\\\' for a backslash");
            return;
        }
        List<ShellWords.Word> tokens = words.words();
        ShellWords.Word first = tokens.get(0);
        SourcePos pos = new SourcePos(file, line, first.col());
        String name = first.text();
        Map<String, Object> vars = new LinkedHashMap<>();
        Map<String, SourcePos> varPos = new LinkedHashMap<>();
        for (ShellWords.Word t : tokens.subList(1, tokens.size())) {
            int eq = t.text().indexOf('=');
            if (eq < 0) {
                problems.error(new SourcePos(file, line, t.col()), "expected 'name=value' after host '" + name + "', found '"
                        + t.text() + "'", "quote values that contain spaces: name=\"a b\"");
                continue;
            }
            vars.put(t.text().substring(0, eq), typed(t.text().substring(eq + 1)));
            varPos.put(t.text().substring(0, eq), new SourcePos(file, line, t.col()));
        }
        AnsibleHostPattern names = AnsibleHostPattern.of(name);
        names.error().ifPresent(e -> problems.error(pos, e, name.startsWith("[") && name.indexOf(']') < 0
                ? "a section header ends with ']'; a range is written like web[01:10] or db[a:c]" : "write a range like web[01:10] or db[a:c]"));
        if (PythonStr.strip(name).endsWith(":") && names.port().isEmpty()) {
            problems.error(pos, "'" + name + "' ends in ':' with no port after it", "write the port after the colon (h1:2222), or remove the colon");
            return;
        }
        if (names.names().stream().anyMatch(n -> PythonStr.strip(n).equals("---"))) {
            problems.error(pos, "'" + name + "' is not a host name: Ansible takes '---' for the start of a YAML file",
                    "remove the line; an inventory in YAML goes in a .yml file");
            return;
        }
        for (String n : names.names()) {
            if (n.isEmpty()) {
                problems.error(pos, "the host name is empty", "write a host name before the variables");
                return;
            }
            draft.host(n, pos, names.port(), vars, varPos);
            draft.member(group, n, pos);
        }
    }

    /** A value as Ansible's ini plugin types it: what Python's literal_eval reads, else the text. */
    private static Object typed(String v) {
        return PythonLiteral.eval(v).orElse(v);
    }
}
