package dev.opsctl.action.include;

import dev.opsctl.source.NodeValues;
import dev.opsctl.action.ActionType;
import dev.opsctl.action.ParseContext;
import dev.opsctl.action.StepContext;
import dev.opsctl.action.StepResult;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import dev.opsctl.source.ScalarNode;
import dev.opsctl.source.SourcePos;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@code include}: the steps of another file, inlined by the runbook loader. Stateless. */
public final class IncludeActionType implements ActionType<IncludeSpec> {
    @Override
    public String name() {
        return "include";
    }

    @Override
    public String description() {
        return "Inlines the steps of another file (a runbook or a 'kind: Steps' file) at load time. "
                + "Paths are relative to the including file; included step ids are prefixed with the "
                + "include step's id ('deploy.restart'), and 'vars' are given to every included step.";
    }

    @Override
    public String example() {
        return "- id: deploy\n  include: {file: steps/deploy.yaml, vars: {port: 8080}}\n";
    }

    @Override
    public Optional<IncludeSpec> parse(Node node, ParseContext ctx) {
        if (node instanceof ScalarNode s && s.kind() == ScalarNode.Kind.STRING) {
            return path(s.text(), s.pos(), ctx).map(p -> new IncludeSpec(p, Map.of()));
        }
        if (node instanceof ScalarNode) {
            ctx.problems().error(node.pos(), "'include' must be a file name or {file: ..., vars: {...}}, not " + node.describe());
            return Optional.empty();
        }
        Optional<MapReader> reader = MapReader.of(node, "'include'", ctx.problems());
        if (reader.isEmpty()) {
            return Optional.empty();
        }
        MapReader r = reader.get();
        Optional<Path> file = r.node("file").flatMap(n -> r.string("file").flatMap(f -> path(f, n.pos(), ctx)));
        if (!r.has("file")) {
            ctx.problems().error(r.pos(), "missing required key 'file' in 'include'", "write include: {file: other.yaml}");
        }
        Map<String, Object> vars = new LinkedHashMap<>();
        r.map("vars").ifPresent(v -> v.node().entries().forEach((k, e) -> vars.put(k, NodeValues.plain(e.value()))));
        r.finish();
        return file.map(f -> new IncludeSpec(f, vars));
    }

    private static Optional<Path> path(String text, SourcePos pos, ParseContext ctx) {
        if (text.isBlank()) {
            ctx.problems().error(pos, "'include' needs a file name");
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(text));
        } catch (InvalidPathException e) {
            ctx.problems().error(pos, "'" + text + "' is not a valid file name: " + e.getReason());
            return Optional.empty();
        }
    }

    @Override
    public StepResult execute(IncludeSpec spec, StepContext ctx) {
        throw new IllegalStateException("expanded at load time");
    }

    @Override
    public String summary(IncludeSpec spec) {
        return "include " + spec.file();
    }
}
