package dev.opsctl.runbook.load;

import dev.opsctl.action.ActionRegistry;
import dev.opsctl.param.Param;
import dev.opsctl.param.ParamsReader;
import dev.opsctl.runbook.model.Gates;
import dev.opsctl.runbook.model.Metadata;
import dev.opsctl.runbook.model.Notify;
import dev.opsctl.runbook.model.Runbook;
import dev.opsctl.runbook.model.Step;
import dev.opsctl.runbook.model.Strategy;
import dev.opsctl.runbook.model.Targets;
import dev.opsctl.runbook.model.Trigger;
import dev.opsctl.source.DidYouMean;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import dev.opsctl.source.ScalarNode;
import dev.opsctl.source.SeqNode;
import dev.opsctl.source.SourcePos;
import dev.opsctl.source.YamlTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Loads a runbook file into a {@link Runbook}, or reports every problem in it (and in the files it
 * includes) with file:line:col. Stateless between calls and thread-safe; never throws for bad input.
 */
public final class RunbookLoader {
    static final String API_VERSION = "opsctl/v1";
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");

    private final ActionRegistry registry;
    private final Checklists checklists;

    public RunbookLoader(ActionRegistry registry, Checklists checklists) {
        this.registry = registry;
        this.checklists = checklists;
    }

    /** Loads {@code file}; messages name it as given (relative stays relative). */
    public LoadResult load(Path file) {
        LoadContext lc = new LoadContext(registry, checklists);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException | RuntimeException e) {
            lc.problems.error(new SourcePos(file.toString(), 0, 0), "cannot read runbook: " + e.getMessage());
            return new LoadResult(Optional.empty(), lc.problems);
        }
        Path baseDir = file.toAbsolutePath().normalize().getParent();
        return load(lc, file, file.toString(), bytes, baseDir);
    }

    /** Loads text as if read from {@code baseDir}/{@code displayName}'s file name (for tests and stdin). */
    public LoadResult load(String displayName, String text, Path baseDir) {
        Path base = baseDir.toAbsolutePath().normalize();
        return load(new LoadContext(registry, checklists), Path.of(displayName), displayName, text.getBytes(StandardCharsets.UTF_8),
                base);
    }

    private LoadResult load(LoadContext lc, Path file, String display, byte[] bytes, Path baseDir) {
        String text = lc.texts.add(display, bytes);
        Optional<Node> root = YamlTree.parse(display, text, lc.problems);
        Optional<Runbook> runbook = root.flatMap(r -> MapReader.of(r, "the runbook", lc.problems))
                .flatMap(r -> runbook(lc, r, file, display, baseDir));
        if (lc.problems.hasErrors()) {
            return new LoadResult(Optional.empty(), lc.problems);
        }
        return new LoadResult(runbook, lc.problems);
    }

    private Optional<Runbook> runbook(LoadContext lc, MapReader top, Path file, String display, Path baseDir) {
        header(lc, top);
        Metadata metadata = top.map("metadata").map(m -> metadata(lc, m)).orElseGet(() -> {
            if (!top.has("metadata")) {
                lc.problems.error(top.pos(), "missing required key 'metadata' in the runbook", "add metadata: {name: my-runbook}");
            }
            return new Metadata("", "", Map.of());
        });
        List<Param> params = top.node("params").map(n -> new ParamsReader(lc.problems, VarScope.ROOTS, "drain_wait").read(n)).orElse(List.of());
        Set<String> paramNames = params.stream().map(Param::name).collect(Collectors.toSet());
        VarScope runScope = new VarScope(paramNames, Set.of(), Set.of(), Set.of(), Set.of(), false);
        Targets targets = top.node("targets").map(n -> targets(lc, n, runScope)).orElse(new Targets(List.of(Targets.LOCAL), top.pos()));
        Strategy strategy = top.node("strategy").map(n -> new StrategyReader(lc).read(n)).orElse(Strategy.DEFAULT);
        Gates gates = top.node("gates").map(n -> new GatesReader(lc).read(n)).orElse(Gates.NONE);

        StepExpander expander = new StepExpander(lc);
        StepExpander.FileRef root = new StepExpander.FileRef(baseDir.resolve(fileNameOf(file)), display, baseDir);
        List<StepDraft> stepDrafts = top.node("steps").map(n -> expander.expand(n, "steps", "step", root)).orElse(List.of());
        if (top.node("steps").isEmpty()) {
            lc.problems.error(top.pos(), "missing required key 'steps' in the runbook", "a runbook needs at least one step");
        } else if (top.node("steps").get() instanceof SeqNode s && s.items().isEmpty()) {
            lc.problems.error(s.pos(), "'steps' needs at least one step");
        }
        List<StepDraft> rollbackDrafts = top.node("rollback").map(n -> expander.expand(n, "rollback", "rollback", root)).orElse(List.of());
        StepList stepList = new StepList(lc, paramNames, stepDrafts, rollbackDrafts);
        List<Step> steps = stepList.read(stepDrafts, false);
        List<Step> rollback = stepList.read(rollbackDrafts, true);
        List<Trigger> triggers = top.node("triggers").map(n -> new TriggersReader(lc, baseDir).read(n, stepList.afterAll())).orElse(List.of());
        Optional<Notify> notification = top.node("notify").flatMap(n -> notify(lc, n, runScope));
        top.finish();
        if (lc.problems.hasErrors()) {
            return Optional.empty();
        }
        return Optional.of(new Runbook(file, lc.texts.digestHex(), metadata, params, targets, strategy, gates, triggers, steps, rollback,
                top.pos(), notification));
    }

    private static Path fileNameOf(Path file) {
        return Optional.ofNullable(file.getFileName()).orElse(Path.of("runbook.yaml"));
    }

    private static void header(LoadContext lc, MapReader top) {
        String apiVersion = top.requiredString("apiVersion", "a runbook starts with 'apiVersion: " + API_VERSION + "'");
        if (top.has("apiVersion") && !apiVersion.equals(API_VERSION) && top.node("apiVersion").get() instanceof ScalarNode) {
            lc.problems.error(top.node("apiVersion").get().pos(), "unsupported apiVersion '" + apiVersion + "'", "write apiVersion: " + API_VERSION);
        }
        String kind = top.requiredString("kind", "write kind: Runbook");
        if (top.has("kind") && !kind.equals("Runbook") && top.node("kind").get() instanceof ScalarNode) {
            lc.problems.error(top.node("kind").get().pos(), "kind must be 'Runbook', not '" + kind + "'",
                    kind.equals("Steps") ? "a 'kind: Steps' file can only be included by a runbook" : "write kind: Runbook");
        }
    }

    private static Metadata metadata(LoadContext lc, MapReader m) {
        String name = m.requiredString("name", "name the runbook, e.g. name: userns-remap");
        if (m.has("name") && !name.isEmpty() && !NAME.matcher(name).matches()) {
            lc.problems.error(m.node("name").orElseThrow().pos(), "runbook name '" + name + "' may contain only a-z, 0-9 and '-'",
                    "e.g. name: userns-remap");
        }
        String description = m.string("description").orElse("");
        Map<String, String> labels = m.stringMap("labels");
        m.finish();
        return new Metadata(name, description, labels);
    }

    /** {@code notify: {url: "{{ webhook }}", on: [failed, finished]}}; the url may only use params. */
    private static Optional<Notify> notify(LoadContext lc, Node node, VarScope scope) {
        Optional<MapReader> m = MapReader.of(node, "'notify'", lc.problems);
        if (m.isEmpty()) {
            return Optional.empty();
        }
        MapReader r = m.get();
        String url = r.requiredString("url", "give the webhook, normally a secret param: url: \"{{ webhook }}\"");
        if (url.contains("{{")) {
            lc.checks.template(url, r.node("url").orElseThrow().pos(), scope);
        }
        List<String> on = new ArrayList<>();
        Optional<Node> onNode = r.node("on");
        List<Node> items = onNode.map(n -> n instanceof SeqNode seq ? seq.items() : List.of(n)).orElse(List.of());
        for (Node item : items) {
            if (!(item instanceof ScalarNode s) || s.kind() != ScalarNode.Kind.STRING) {
                lc.problems.error(item.pos(), "'notify.on' takes event names, not " + item.describe(),
                        "e.g. on: [failed, rolled_back, finished]");
            } else if (!Notify.EVENTS.contains(s.text())) {
                lc.problems.error(s.pos(), "unknown notify event '" + s.text() + "'", DidYouMean.hint(s.text(), Notify.EVENTS));
            } else {
                on.add(s.text());
            }
        }
        if (onNode.isPresent() && items.isEmpty()) {
            lc.problems.error(onNode.get().pos(), "'notify.on' is empty: nothing would be posted", "leave 'on' out to post every event");
        }
        r.finish();
        return Optional.of(new Notify(url, onNode.isPresent() ? on : Notify.EVENTS, node.pos()));
    }

    private static Targets targets(LoadContext lc, Node node, VarScope scope) {
        List<Node> items = node instanceof SeqNode seq ? seq.items() : List.of(node);
        List<String> patterns = new ArrayList<>();
        for (Node item : items) {
            if (item instanceof ScalarNode s && s.kind() == ScalarNode.Kind.STRING) {
                patterns.add(s.text());
                if (s.text().contains("{{")) {
                    lc.checks.template(s.text(), s.pos(), scope);
                }
            } else {
                lc.problems.error(item.pos(), "'targets' must be a host pattern or a list of them, not " + item.describe(),
                        "write targets: docker_hosts");
            }
        }
        if (items.isEmpty()) {
            lc.problems.error(node.pos(), "'targets' needs at least one host pattern", "leave 'targets' out to run locally");
        }
        return new Targets(patterns, node.pos());
    }
}
