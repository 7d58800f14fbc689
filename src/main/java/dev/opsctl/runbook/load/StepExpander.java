package dev.opsctl.runbook.load;

import dev.opsctl.source.NodeValues;
import dev.opsctl.action.ActionType;
import dev.opsctl.action.ParseContext;
import dev.opsctl.action.include.IncludeSpec;
import dev.opsctl.source.MapNode;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import dev.opsctl.source.ScalarNode;
import dev.opsctl.source.SeqNode;
import dev.opsctl.source.SourcePos;
import dev.opsctl.source.YamlTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a {@code steps:} (or {@code rollback:}) list into drafts with final ids, inlining every
 * {@code include} in place: included ids get the include's id as prefix ({@code deploy.restart}),
 * steps keep their positions in the included file, and include cycles are reported where they close.
 */
final class StepExpander {
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");
    private static final Set<String> INCLUDE_KEYS = Set.of("id", "name", "include", "vars");

    /** A file being read: its real path (for cycles), its display name (for messages), its directory. */
    record FileRef(Path real, String display, Path baseDir) {}

    private final LoadContext lc;
    private final Deque<FileRef> stack = new ArrayDeque<>();

    StepExpander(LoadContext lc) {
        this.lc = lc;
    }

    List<StepDraft> expand(Node list, String what, String generatedPrefix, FileRef file) {
        List<StepDraft> out = new ArrayList<>();
        stack.push(file);
        expandList(list, what, "", generatedPrefix, Map.of(), file, out);
        stack.pop();
        return out;
    }

    private void expandList(Node list, String what, String idPrefix, String generatedPrefix, Map<String, Object> vars, FileRef file,
            List<StepDraft> out) {
        if (!(list instanceof SeqNode seq)) {
            lc.problems.error(list.pos(), "'" + what + "' must be a list of steps, not " + list.describe(), "write each step as '- id: ...'");
            return;
        }
        for (int i = 0; i < seq.items().size(); i++) {
            Node item = seq.items().get(i);
            if (!(item instanceof MapNode step)) {
                lc.problems.error(item.pos(), "a step must be a mapping, not " + item.describe(), "write a step like '- id: restart' followed by its step type");
                continue;
            }
            String id = idPrefix + readId(step, generatedPrefix + "-" + (i + 1));
            Optional<ActionType<?>> include = step.entries().containsKey("include") ? lc.registry.find("include") : Optional.empty();
            if (include.isPresent()) {
                expandInclude(step, include.get(), id, vars, file, out);
            } else {
                out.add(new StepDraft(id, step, vars, file.baseDir(), false));
            }
        }
    }

    private String readId(MapNode step, String generated) {
        Optional<MapNode.Entry> entry = step.entry("id");
        if (entry.isEmpty()) {
            return generated;
        }
        Node value = entry.get().value();
        if (value instanceof ScalarNode s && (s.kind() == ScalarNode.Kind.STRING || s.kind() == ScalarNode.Kind.INT)) {
            if (ID.matcher(s.text()).matches()) {
                return s.text();
            }
            lc.problems.error(s.pos(), "step id '" + s.text() + "' may contain only letters, digits, '-' and '_'",
                    "ids are used as 'steps.<id>' in templates");
            return generated;
        }
        lc.problems.error(value.pos(), "step id must be a single word, not " + value.describe());
        return generated;
    }

    private void expandInclude(MapNode step, ActionType<?> type, String id, Map<String, Object> vars, FileRef file, List<StepDraft> out) {
        for (MapNode.Entry e : step.entries().values()) {
            if (INCLUDE_KEYS.contains(e.key())) {
                continue;
            }
            if (lc.registry.find(e.key()).isPresent()) {
                lc.problems.error(e.keyPos(), "step '" + id + "' has two step types: 'include' and '" + e.key() + "'", "split it into two steps");
            } else if (StepReader.COMMON_KEYS.contains(e.key())) {
                lc.problems.error(e.keyPos(), "'" + e.key() + "' cannot be used on an include step", "put it on the included steps");
            } else {
                lc.problems.error(e.keyPos(), "unknown key '" + e.key() + "' in include step '" + id + "'",
                        VarScope.hint(e.key(), INCLUDE_KEYS, ""));
            }
        }
        Node includeNode = step.get("include").orElseThrow();
        ParseContext ctx = ParseContext.lenient(lc.problems, file.baseDir());
        Optional<IncludeSpec> spec = lc.parseAction(type, includeNode, ctx)
                .filter(inv -> inv.spec() instanceof IncludeSpec)
                .map(inv -> (IncludeSpec) inv.spec());
        out.add(new StepDraft(id, step, vars, file.baseDir(), true));
        if (spec.isEmpty()) {
            return;
        }
        Map<String, Object> merged = new LinkedHashMap<>(vars);
        step.get("vars").flatMap(n -> MapReader.of(n, "'vars' in step '" + id + "'", lc.problems))
                .ifPresent(r -> merged.putAll(NodeValues.plainMap(r.node())));
        merged.putAll(spec.get().vars());
        SourcePos at = includeNode instanceof MapNode m ? m.get("file").map(Node::pos).orElse(includeNode.pos()) : includeNode.pos();
        read(spec.get().file(), at, file).ifPresent(inc -> {
            stack.push(inc.file());
            expandList(inc.steps(), "steps", id + ".", "step", merged, inc.file(), out);
            stack.pop();
        });
    }

    private record Included(FileRef file, Node steps) {}

    private Optional<Included> read(Path written, SourcePos at, FileRef from) {
        Path real = from.baseDir().resolve(written).toAbsolutePath().normalize();
        Path displayPath = Path.of(from.display()).resolveSibling(written).normalize();
        String display = displayPath.toString();
        List<String> chain = new ArrayList<>();
        boolean cycle = false;
        for (var it = stack.descendingIterator(); it.hasNext(); ) {
            FileRef f = it.next();
            cycle |= f.real().equals(real);
            if (cycle) {
                chain.add(f.display());
            }
        }
        if (cycle) {
            chain.add(display);
            lc.problems.error(at, "include cycle: " + String.join(" -> ", chain), "a file cannot include itself, directly or through others");
            return Optional.empty();
        }
        if (!Files.isRegularFile(real)) {
            lc.problems.error(at, "included file '" + display + "' not found", "paths are relative to the including file");
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(real);
        } catch (IOException e) {
            lc.problems.error(at, "cannot read included file '" + display + "': " + e.getMessage());
            return Optional.empty();
        }
        String text = lc.texts.add(display, bytes);
        Optional<Node> root = YamlTree.parse(display, text, lc.problems);
        if (root.isEmpty()) {
            return Optional.empty();
        }
        FileRef ref = new FileRef(real, display, real.getParent());
        return stepsOf(root.get(), display).map(steps -> new Included(ref, steps));
    }

    /** An included file is a list of steps, a {@code kind: Steps} file, or a runbook whose steps are taken. */
    private Optional<Node> stepsOf(Node root, String display) {
        if (root instanceof SeqNode) {
            return Optional.of(root);
        }
        Optional<MapReader> reader = MapReader.of(root, "included file '" + display + "'", lc.problems);
        if (reader.isEmpty()) {
            return Optional.empty();
        }
        MapReader r = reader.get();
        Optional<String> kind = r.string("kind");
        Optional<Node> steps = r.node("steps");
        if (steps.isEmpty()) {
            lc.problems.error(r.pos(), "included file '" + display + "' has no 'steps:'", "an included file is 'kind: Steps' with a 'steps:' list");
        }
        if (kind.isPresent() && !kind.get().equals("Steps") && !kind.get().equals("Runbook")) {
            lc.problems.error(r.keyPos("kind"), "an included file must be 'kind: Steps' or 'kind: Runbook', not '" + kind.get() + "'");
        }
        if (kind.isEmpty() || kind.get().equals("Steps")) {
            r.allow("apiVersion", "metadata", "description");
            r.finish();
        }
        return steps;
    }
}
