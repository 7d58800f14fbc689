package dev.opsctl.checklist.load;

import dev.opsctl.action.ActionRegistry;
import dev.opsctl.action.ActionType;
import dev.opsctl.action.Invocation;
import dev.opsctl.action.ParseContext;
import dev.opsctl.checklist.Item;
import dev.opsctl.checklist.Placement;
import dev.opsctl.source.MapNode;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import dev.opsctl.source.Problems;
import dev.opsctl.source.SourcePos;
import dev.opsctl.template.TemplateChecks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** One item: id, text, and either a probe (one step-type key) with its expectation, or a manual answer. */
final class ItemReader {
    static final Pattern ID = Pattern.compile("[a-z0-9]([a-z0-9_-]*[a-z0-9])?");
    private final ActionRegistry registry;
    private final Problems problems;
    private final TemplateChecks checks;
    private final Path baseDir;

    ItemReader(ActionRegistry registry, Problems problems, TemplateChecks checks, Path baseDir) {
        this.registry = registry;
        this.problems = problems;
        this.checks = checks;
        this.baseDir = baseDir;
    }

    Optional<Item> read(Node node, Placement scope, NameScope names, Map<String, Integer> seenIds) {
        Optional<MapReader> reader = MapReader.of(node, describe(node), problems);
        if (reader.isEmpty()) {
            return Optional.empty();
        }
        MapReader r = reader.get();
        String id = r.requiredString("id", "every item needs an id, used by --confirm ID and in reports");
        r.node("id").ifPresent(n -> {
            if (!id.isEmpty() && !ID.matcher(id).matches()) {
                problems.error(n.pos(), "item id '" + id + "' may contain only a-z, 0-9, '-' and '_'", "e.g. id: userns-enabled");
            }
            Integer first = seenIds.putIfAbsent(id, n.pos().line());
            if (first != null) {
                problems.error(n.pos(), "duplicate item id '" + id + "' (first at line " + first + ")", "give every item its own id");
            }
        });
        String what = "item '" + id + "'";
        String text = r.requiredString("text", "say what is checked, e.g. text: \"docker info shows userns-remap\"");
        r.node("text").ifPresent(n -> checks.walk(n, names, Set.of()));
        Placement placement = r.string("on").flatMap(on -> placement(on, r, what)).orElse(scope);
        Optional<Node> probeNode = r.node("probe");
        Optional<ActionType<?>> type = probeNode.flatMap(n -> probeType(n, what));
        Optional<Invocation<?>> probe = type.flatMap(t -> parse(t, ((MapNode) probeNode.get()).get(t.name()).orElseThrow(), names));
        probeNode.ifPresent(n -> checks.walk(n, names, Set.of()));
        Optional<String> expect = r.string("expect");
        expect.ifPresent(e -> {
            SourcePos at = r.node("expect").orElseThrow().pos();
            if (probeNode.isEmpty()) {
                problems.error(at, "'expect' in " + what + " needs a probe", "add probe: {shell: \"...\"}, or remove 'expect'");
            } else {
                checks.condition(e, at, resultScope(names, type).withExtra(Set.of(), type.isEmpty()));
            }
        });
        Duration holdFor = r.duration("for").orElse(Duration.ZERO);
        Duration interval = r.duration("interval").orElse(Item.DEFAULT_INTERVAL);
        if (interval.isZero()) {
            problems.error(r.node("interval").orElseThrow().pos(), "'interval' in " + what + " must be longer than 0s");
        }
        int retries = r.integer("retries").orElse(0);
        if (retries < 0) {
            problems.error(r.node("retries").orElseThrow().pos(), "'retries' in " + what + " must be 0 or more, not " + retries);
        }
        boolean manual = r.bool("manual").orElse(probeNode.isEmpty());
        if (probeNode.isPresent() && manual) {
            problems.error(r.node("manual").orElseThrow().pos(), "'manual: true' in " + what + " contradicts its probe",
                    "remove 'manual' (an item with a probe is checked) or the probe");
        } else if (probeNode.isEmpty() && !manual) {
            problems.error(r.node("manual").orElseThrow().pos(), "'manual: false' in " + what + " needs a probe",
                    "add probe: {shell: \"...\"} with an 'expect'");
        }
        if (probeNode.isEmpty()) {
            for (String key : List.of("for", "interval", "retries")) {
                r.node(key).ifPresent(n -> problems.error(n.pos(), "'" + key + "' in " + what + " applies only to an item with a probe"));
            }
        }
        boolean noteRequired = r.bool("note_required").orElse(false);
        Optional<String> when = r.string("when");
        when.ifPresent(w -> checks.condition(w, r.node("when").orElseThrow().pos(), names));
        r.finish();
        if (probeNode.isPresent() && probe.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Item(id, text, probe, expect, holdFor, interval, Math.max(0, retries), placement, noteRequired, when, r.pos()));
    }

    /** "item 'x'" when the item has a usable id, so every message about it names it. */
    private static String describe(Node node) {
        if (node instanceof MapNode m && m.get("id").orElse(null) instanceof dev.opsctl.source.ScalarNode s
                && s.kind() == dev.opsctl.source.ScalarNode.Kind.STRING && !s.text().isBlank()) {
            return "item '" + s.text() + "'";
        }
        return "an item";
    }

    /** What an {@code expect} may read: the names plus the probe result's fields. */
    static NameScope resultScope(NameScope names, Optional<ActionType<?>> type) {
        Optional<Set<String>> declared = type.flatMap(ActionType::resultFields);
        Set<String> fields = new TreeSet<>(NameScope.RESULT_FIELDS);
        declared.ifPresent(fields::addAll);
        return names.withExtra(fields, declared.isEmpty());
    }

    private Optional<ActionType<?>> probeType(Node node, String what) {
        Optional<MapReader> reader = MapReader.of(node, "'probe' in " + what, problems);
        if (reader.isEmpty()) {
            return Optional.empty();
        }
        MapNode map = reader.get().node();
        if (map.entries().size() != 1) {
            problems.error(map.pos(), "'probe' in " + what + " must have exactly one step type, not " + map.entries().size(),
                    "write probe: {shell: \"docker info\"}");
            return Optional.empty();
        }
        MapNode.Entry e = map.entries().values().iterator().next();
        Optional<ActionType<?>> type = registry.find(e.key());
        if (type.isEmpty()) {
            problems.error(e.keyPos(), "unknown step type '" + e.key() + "' in the probe of " + what,
                    NameScope.hint(e.key(), registry.names(), null));
        }
        return type;
    }

    private Optional<Invocation<?>> parse(ActionType<?> type, Node node, NameScope names) {
        int before = problems.size();
        Optional<Invocation<?>> invocation;
        try {
            invocation = invoke(type, node, parseContext(names));
        } catch (RuntimeException e) {
            // A step type must report bad input as problems; if one throws, say so rather than crash the load.
            problems.error(node.pos(), "step type '" + type.name() + "' failed on this value: " + e + " (this is a bug in opsctl)");
            return Optional.empty();
        }
        if (invocation.isEmpty() && problems.size() == before) {
            problems.error(node.pos(), "invalid '" + type.name() + "' probe");
        }
        return invocation;
    }

    private static <S> Optional<Invocation<?>> invoke(ActionType<S> type, Node node, ParseContext ctx) {
        return type.parse(node, ctx).<Invocation<?>>map(spec -> new Invocation<>(type, spec));
    }

    private ParseContext parseContext(NameScope names) {
        return new ParseContext() {
            @Override
            public Problems problems() {
                return problems;
            }

            @Override
            public Path baseDir() {
                return baseDir;
            }

            @Override
            public void checkCondition(String text, SourcePos pos, Set<String> extraNames) {
                checks.condition(text, pos, names.withExtra(extraNames, false));
            }
        };
    }

    private Optional<Placement> placement(String on, MapReader r, String what) {
        for (Placement p : Placement.values()) {
            if (p.yamlName().equals(on)) {
                return Optional.of(p);
            }
        }
        problems.error(r.node("on").orElseThrow().pos(), "'on' in " + what + " must be 'host' or 'controller', not '" + on + "'",
                NameScope.hint(on, List.of("host", "controller"), null));
        return Optional.empty();
    }
}
