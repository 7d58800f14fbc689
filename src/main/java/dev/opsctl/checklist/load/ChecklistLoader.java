package dev.opsctl.checklist.load;

import dev.opsctl.action.ActionRegistry;
import dev.opsctl.checklist.Checklist;
import dev.opsctl.checklist.Item;
import dev.opsctl.checklist.ItemGroup;
import dev.opsctl.checklist.Placement;
import dev.opsctl.param.Param;
import dev.opsctl.param.ParamsReader;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import dev.opsctl.source.Problems;
import dev.opsctl.source.ScalarNode;
import dev.opsctl.source.SeqNode;
import dev.opsctl.source.SourceLines;
import dev.opsctl.source.SourcePos;
import dev.opsctl.source.YamlTree;
import dev.opsctl.template.TemplateChecks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Loads {@code checklists/NAME.yaml} into a {@link Checklist}, or reports every problem with
 * file:line:col: unknown keys (did-you-mean), unknown step types in probes, duplicate item ids, bad
 * conditions and templates, undefined variables. Stateless and thread-safe; never throws for bad input.
 */
public final class ChecklistLoader {
    static final String API_VERSION = "opsctl/v1";
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");

    private final ActionRegistry registry;

    public ChecklistLoader(ActionRegistry registry) {
        this.registry = registry;
    }

    public ChecklistLoadResult load(Path file) {
        Problems problems = new Problems();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            problems.error(new SourcePos(file.toString(), 0, 0), "cannot read checklist: " + e.getMessage());
            return new ChecklistLoadResult(Optional.empty(), problems);
        }
        return load(file, file.toString(), text, file.toAbsolutePath().normalize().getParent(), problems);
    }

    /** Loads text as if read from {@code baseDir}/{@code displayName} (tests, stdin). */
    public ChecklistLoadResult load(String displayName, String text, Path baseDir) {
        return load(Path.of(displayName), displayName, text, baseDir.toAbsolutePath().normalize(), new Problems());
    }

    private ChecklistLoadResult load(Path file, String display, String text, Path baseDir, Problems problems) {
        SourceLines lines = new SourceLines();
        lines.add(display, text);
        TemplateChecks checks = new TemplateChecks(lines, problems);
        Optional<Checklist> checklist = YamlTree.parse(display, text, problems)
                .flatMap(root -> MapReader.of(root, "the checklist", problems))
                .flatMap(top -> checklist(top, file, problems, checks, baseDir));
        return problems.hasErrors() ? new ChecklistLoadResult(Optional.empty(), problems) : new ChecklistLoadResult(checklist, problems);
    }

    private Optional<Checklist> checklist(MapReader top, Path file, Problems problems, TemplateChecks checks, Path baseDir) {
        header(top, problems);
        String name = "";
        String title = "";
        String description = "";
        Map<String, String> labels = Map.of();
        Optional<MapReader> meta = top.map("metadata");
        if (meta.isPresent()) {
            MapReader m = meta.get();
            name = m.requiredString("name", "name the checklist after its file, e.g. name: predeploy");
            if (m.has("name") && !name.isEmpty() && !NAME.matcher(name).matches()) {
                problems.error(m.node("name").orElseThrow().pos(), "checklist name '" + name + "' may contain only a-z, 0-9 and '-'");
            }
            title = m.string("title").orElse("");
            description = m.string("description").orElse("");
            labels = m.stringMap("labels");
            m.finish();
        } else if (!top.has("metadata")) {
            problems.error(top.pos(), "missing required key 'metadata' in the checklist", "add metadata: {name: predeploy, title: \"...\"}");
        }
        List<Param> params = top.node("params").map(n -> new ParamsReader(problems, NameScope.ROOTS, "dashboard_url").read(n)).orElse(List.of());
        NameScope names = new NameScope(params.stream().map(Param::name).collect(Collectors.toSet()), Set.of(), false);
        Placement scope = top.string("scope").flatMap(s -> scope(s, top, problems)).orElse(Placement.CONTROLLER);
        ItemReader items = new ItemReader(registry, problems, checks, baseDir);
        Map<String, Integer> seenIds = new HashMap<>();
        List<ItemGroup> groups = new ArrayList<>();
        boolean hasGroups = top.has("groups");
        boolean hasItems = top.has("items");
        if (hasGroups && hasItems) {
            problems.error(top.keyPos("items"), "a checklist has either 'groups' or 'items', not both",
                    "move these items into a group");
        } else if (!hasGroups && !hasItems) {
            problems.error(top.pos(), "missing required key 'items' in the checklist", "add items: [{id: ..., text: ...}] or groups:");
        }
        if (hasItems) {
            Node n = top.node("items").orElseThrow();
            groups.add(new ItemGroup("items", Duration.ZERO, itemList(n, "items", items, scope, names, seenIds, problems), n.pos()));
        }
        top.node("groups").ifPresent(n -> groups.addAll(groups(n, items, scope, names, seenIds, problems)));
        top.finish();
        if (problems.hasErrors()) {
            return Optional.empty();
        }
        return Optional.of(new Checklist(file, name, title, description, labels, params, scope, groups, top.pos()));
    }

    private static List<ItemGroup> groups(Node node, ItemReader items, Placement scope, NameScope names, Map<String, Integer> seenIds,
            Problems problems) {
        if (!(node instanceof SeqNode seq)) {
            problems.error(node.pos(), "'groups' must be a list, not " + node.describe(), "write each group as '- name: ...'");
            return List.of();
        }
        List<ItemGroup> out = new ArrayList<>();
        Map<String, Integer> seenNames = new HashMap<>();
        Duration previous = Duration.ZERO;
        for (Node g : seq.items()) {
            Optional<MapReader> reader = MapReader.of(g, "a group", problems);
            if (reader.isEmpty()) {
                continue;
            }
            MapReader r = reader.get();
            String name = r.requiredString("name", "name the group, e.g. name: after-5-minutes");
            r.node("name").ifPresent(n -> {
                Integer first = seenNames.putIfAbsent(name, n.pos().line());
                if (first != null) {
                    problems.error(n.pos(), "duplicate group name '" + name + "' (first at line " + first + ")");
                }
            });
            Duration after = r.duration("after").orElse(Duration.ZERO);
            if (after.compareTo(previous) < 0) {
                problems.error(r.node("after").orElseThrow().pos(), "group '" + name + "' starts after " + format(after)
                        + ", before the group above it (" + format(previous) + ")", "groups run in order; sort them by 'after'");
            }
            previous = after.compareTo(previous) > 0 ? after : previous;
            List<Item> list = r.node("items").map(n -> itemList(n, "items' in group '" + name, items, scope, names, seenIds, problems))
                    .orElse(List.of());
            if (!r.has("items")) {
                problems.error(r.pos(), "missing required key 'items' in group '" + name + "'");
            }
            r.finish();
            out.add(new ItemGroup(name, after, list, r.pos()));
        }
        if (seq.items().isEmpty()) {
            problems.error(seq.pos(), "'groups' needs at least one group");
        }
        return out;
    }

    private static List<Item> itemList(Node node, String what, ItemReader items, Placement scope, NameScope names,
            Map<String, Integer> seenIds, Problems problems) {
        if (!(node instanceof SeqNode seq)) {
            problems.error(node.pos(), "'" + what + "' must be a list, not " + node.describe(), "write each item as '- id: ...'");
            return List.of();
        }
        if (seq.items().isEmpty()) {
            problems.error(seq.pos(), "'" + what + "' needs at least one item");
        }
        List<Item> out = new ArrayList<>();
        for (Node n : seq.items()) {
            items.read(n, scope, names, seenIds).ifPresent(out::add);
        }
        return out;
    }

    private static void header(MapReader top, Problems problems) {
        String apiVersion = top.requiredString("apiVersion", "a checklist starts with 'apiVersion: " + API_VERSION + "'");
        if (top.has("apiVersion") && !apiVersion.equals(API_VERSION) && top.node("apiVersion").get() instanceof ScalarNode) {
            problems.error(top.node("apiVersion").get().pos(), "unsupported apiVersion '" + apiVersion + "'", "write apiVersion: " + API_VERSION);
        }
        String kind = top.requiredString("kind", "write kind: Checklist");
        if (top.has("kind") && !kind.equals("Checklist") && top.node("kind").get() instanceof ScalarNode) {
            problems.error(top.node("kind").get().pos(), "kind must be 'Checklist', not '" + kind + "'", "write kind: Checklist");
        }
    }

    private static Optional<Placement> scope(String text, MapReader top, Problems problems) {
        switch (text) {
            case "run":
                return Optional.of(Placement.CONTROLLER);
            case "host":
                return Optional.of(Placement.HOST);
            default:
                problems.error(top.node("scope").orElseThrow().pos(), "'scope' must be 'run' or 'host', not '" + text + "'",
                        NameScope.hint(text, List.of("run", "host"), null));
                return Optional.empty();
        }
    }

    private static String format(Duration d) {
        return dev.opsctl.source.Durations.format(d);
    }
}
