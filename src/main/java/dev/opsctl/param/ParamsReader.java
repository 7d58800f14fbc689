package dev.opsctl.param;

import dev.opsctl.source.DidYouMean;
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
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code params:} of a runbook or a checklist: {@code name: {type, default, description, choices, env}}
 * or the short form {@code name: value}, whose type is that of the YAML value. Defaults are converted
 * to their type; every problem is reported with its position.
 */
public final class ParamsReader {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private final Problems problems;
    private final Set<String> reserved;
    private final String exampleName;

    /**
     * {@code reserved}: the names templates read as built-ins ({@code host}, {@code run}, ...), which no
     * param may take; {@code exampleName}: a param name shown in the hint for a bad one.
     */
    public ParamsReader(Problems problems, Collection<String> reserved, String exampleName) {
        this.problems = problems;
        this.reserved = Set.copyOf(reserved);
        this.exampleName = exampleName;
    }

    public List<Param> read(Node node) {
        List<Param> out = new ArrayList<>();
        MapReader.of(node, "'params'", problems).ifPresent(r -> r.node().entries().values().forEach(e -> {
            r.allow(e.key());
            if (!IDENTIFIER.matcher(e.key()).matches()) {
                problems.error(e.keyPos(), "param name '" + e.key() + "' must be a name like '" + exampleName + "'",
                        "letters, digits and '_', not starting with a digit");
            } else if (reserved.contains(e.key())) {
                problems.error(e.keyPos(), "param name '" + e.key() + "' is reserved", "pick another name; '" + e.key() + ".*' is built in");
            } else {
                param(e).ifPresent(out::add);
            }
        }));
        return out;
    }

    private Optional<Param> param(MapNode.Entry e) {
        String name = e.key();
        if (!(e.value() instanceof MapNode map)) {
            return shortForm(e);
        }
        MapReader r = MapReader.of(map, "param '" + name + "'", problems).orElseThrow();
        ParamType type = r.string("type").flatMap(t -> type(t, r.node("type").orElseThrow())).orElse(ParamType.STRING);
        String description = r.string("description").orElse("");
        List<String> choices = r.stringList("choices");
        Optional<String> env = r.string("env");
        env.filter(v -> !IDENTIFIER.matcher(v).matches()).ifPresent(v ->
                problems.error(r.node("env").orElseThrow().pos(), "'env' in param '" + name + "' must be an environment variable name, not '" + v + "'"));
        Optional<Object> value = r.node("default").flatMap(d -> convert(name, type, d));
        r.node("default").ifPresent(d -> value.ifPresent(v -> {
            String text = d instanceof ScalarNode s ? s.text() : "";
            if (!choices.isEmpty() && d instanceof ScalarNode && !choices.contains(text)) {
                problems.error(d.pos(), "default '" + text + "' of param '" + name + "' is not one of its choices",
                        "expected one of: " + String.join(", ", choices));
            }
        }));
        r.finish();
        return Optional.of(new Param(name, type, value, description, choices, env, e.keyPos()));
    }

    private Optional<Param> shortForm(MapNode.Entry e) {
        Node v = e.value();
        ParamType type;
        if (v instanceof SeqNode) {
            type = ParamType.LIST;
        } else {
            ScalarNode s = (ScalarNode) v;
            type = switch (s.kind()) {
                case INT -> ParamType.INT;
                case BOOL -> ParamType.BOOL;
                default -> ParamType.STRING;
            };
        }
        Optional<Object> value = v instanceof ScalarNode s && s.isNull() ? Optional.empty() : convert(e.key(), type, v);
        return Optional.of(new Param(e.key(), type, value, "", List.of(), Optional.empty(), e.keyPos()));
    }

    private Optional<ParamType> type(String text, Node at) {
        List<String> names = Arrays.stream(ParamType.values()).map(ParamType::yamlName).toList();
        if (names.contains(text)) {
            return Optional.of(ParamType.valueOf(text.toUpperCase(Locale.ROOT)));
        }
        problems.error(at.pos(), "unknown param type '" + text + "'", DidYouMean.hint(text, names, "").orElse(null));
        return Optional.empty();
    }

    /** The default as its type: String, Long, Boolean, Duration, List of String or Secret; a mismatch is reported. */
    private Optional<Object> convert(String name, ParamType type, Node d) {
        if (d instanceof ScalarNode s && s.isNull()) {
            return Optional.empty();
        }
        String what = "default of param '" + name + "'";
        if (type == ParamType.LIST) {
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
