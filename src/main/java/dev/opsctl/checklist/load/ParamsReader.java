package dev.opsctl.checklist.load;

import dev.opsctl.checklist.ChecklistParam;
import dev.opsctl.source.Durations;
import dev.opsctl.source.MapNode;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import dev.opsctl.source.Problems;
import dev.opsctl.source.ScalarNode;
import dev.opsctl.source.Secret;
import dev.opsctl.source.SeqNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** {@code params:} with the runbook syntax: {@code name: {type, default, description, choices, env}} or {@code name: value}. */
final class ParamsReader {
    static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private final Problems problems;

    ParamsReader(Problems problems) {
        this.problems = problems;
    }

    List<ChecklistParam> read(Node node) {
        List<ChecklistParam> out = new ArrayList<>();
        MapReader.of(node, "'params'", problems).ifPresent(r -> r.node().entries().values().forEach(e -> {
            r.allow(e.key());
            if (!IDENTIFIER.matcher(e.key()).matches()) {
                problems.error(e.keyPos(), "param name '" + e.key() + "' must be a name like 'dashboard_url'",
                        "letters, digits and '_', not starting with a digit");
            } else if (NameScope.ROOTS.contains(e.key())) {
                problems.error(e.keyPos(), "param name '" + e.key() + "' is reserved", "pick another name; '" + e.key() + ".*' is built in");
            } else {
                out.add(e.value() instanceof MapNode ? full(e) : shortForm(e));
            }
        }));
        return out;
    }

    private ChecklistParam full(MapNode.Entry e) {
        String name = e.key();
        MapReader r = MapReader.of(e.value(), "param '" + name + "'", problems).orElseThrow();
        ChecklistParam.Type type = r.string("type").flatMap(t -> type(t, r.node("type").orElseThrow())).orElse(ChecklistParam.Type.STRING);
        String description = r.string("description").orElse("");
        List<String> choices = r.stringList("choices");
        Optional<String> env = r.string("env");
        env.filter(v -> !IDENTIFIER.matcher(v).matches()).ifPresent(v -> problems.error(r.node("env").orElseThrow().pos(),
                "'env' in param '" + name + "' must be an environment variable name, not '" + v + "'"));
        Optional<Object> value = r.node("default").flatMap(d -> convert(name, type, d));
        r.node("default").ifPresent(d -> value.ifPresent(v -> {
            if (!choices.isEmpty() && d instanceof ScalarNode s && !choices.contains(s.text())) {
                problems.error(d.pos(), "default '" + s.text() + "' of param '" + name + "' is not one of its choices",
                        "expected one of: " + String.join(", ", choices));
            }
        }));
        r.finish();
        return new ChecklistParam(name, type, value, description, choices, env, e.keyPos());
    }

    private ChecklistParam shortForm(MapNode.Entry e) {
        Node v = e.value();
        ChecklistParam.Type type = ChecklistParam.Type.STRING;
        if (v instanceof SeqNode) {
            type = ChecklistParam.Type.LIST;
        } else if (v instanceof ScalarNode s && s.kind() == ScalarNode.Kind.INT) {
            type = ChecklistParam.Type.INT;
        } else if (v instanceof ScalarNode s && s.kind() == ScalarNode.Kind.BOOL) {
            type = ChecklistParam.Type.BOOL;
        }
        Optional<Object> value = v instanceof ScalarNode s && s.isNull() ? Optional.empty() : convert(e.key(), type, v);
        return new ChecklistParam(e.key(), type, value, "", List.of(), Optional.empty(), e.keyPos());
    }

    private Optional<ChecklistParam.Type> type(String text, Node at) {
        List<String> names = Arrays.stream(ChecklistParam.Type.values()).map(ChecklistParam.Type::yamlName).toList();
        if (names.contains(text)) {
            return Optional.of(ChecklistParam.Type.valueOf(text.toUpperCase(Locale.ROOT)));
        }
        problems.error(at.pos(), "unknown param type '" + text + "'", NameScope.hint(text, names, null));
        return Optional.empty();
    }

    private Optional<Object> convert(String name, ChecklistParam.Type type, Node d) {
        if (d instanceof ScalarNode s && s.isNull()) {
            return Optional.empty();
        }
        String what = "default of param '" + name + "'";
        if (type == ChecklistParam.Type.LIST) {
            if (!(d instanceof SeqNode seq)) {
                problems.error(d.pos(), what + " must be a list, not " + d.describe());
                return Optional.empty();
            }
            List<String> items = new ArrayList<>();
            for (Node item : seq.items()) {
                if (item instanceof ScalarNode s && !s.isNull()) {
                    items.add(s.text());
                } else {
                    problems.error(item.pos(), "items of the " + what + " must be single values, not " + item.describe());
                }
            }
            return Optional.of(List.copyOf(items));
        }
        if (!(d instanceof ScalarNode s)) {
            problems.error(d.pos(), what + " must be a single value (a " + type.yamlName() + "), not " + d.describe());
            return Optional.empty();
        }
        switch (type) {
            case INT:
                if (s.kind() == ScalarNode.Kind.INT) {
                    try {
                        return Optional.of(Long.parseLong(s.text()));
                    } catch (NumberFormatException e) {
                        problems.error(d.pos(), what + " is out of range: " + s.text());
                        return Optional.empty();
                    }
                }
                problems.error(d.pos(), what + " must be an integer, not " + d.describe());
                return Optional.empty();
            case BOOL:
                if (s.kind() == ScalarNode.Kind.BOOL) {
                    return Optional.of(Boolean.parseBoolean(s.text()));
                }
                problems.error(d.pos(), what + " must be true or false, not " + d.describe());
                return Optional.empty();
            case DURATION:
                Optional<Object> duration = s.kind() == ScalarNode.Kind.STRING || s.kind() == ScalarNode.Kind.INT
                        ? Durations.parse(s.text()).map(x -> x)
                        : Optional.empty();
                if (duration.isEmpty()) {
                    problems.error(d.pos(), what + " is not a duration: '" + s.text() + "'", "write a duration like 30s, 5m, 1h30m or 250ms");
                }
                return duration;
            case SECRET:
                return Optional.of(new Secret(s.text()));
            default:
                return Optional.of(s.text());
        }
    }
}
