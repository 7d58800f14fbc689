package dev.opsctl.action;

import dev.opsctl.source.MapNode;
import dev.opsctl.source.Node;
import dev.opsctl.source.Problems;
import dev.opsctl.source.YamlTree;
import java.nio.file.Path;
import java.util.Optional;

/** Parses a step type's node from YAML text, the way the loader hands it over. */
public final class ParseFixture {
    public final Problems problems = new Problems();
    private final Path baseDir;

    public ParseFixture(Path baseDir) {
        this.baseDir = baseDir;
    }

    /** {@code yaml} is a whole step (a mapping); the value under {@code type.name()} is parsed. */
    public <S> Optional<S> parse(ActionType<S> type, String yaml) {
        Node root = YamlTree.parse("step.yaml", yaml, problems).orElseThrow(() -> new AssertionError(problems.render()));
        Node node = ((MapNode) root).get(type.name()).orElseThrow(() -> new AssertionError("no '" + type.name() + "' in " + yaml));
        return type.parse(node, ParseContext.lenient(problems, baseDir));
    }

    /** Parses and insists there were no problems. */
    public <S> S parseClean(ActionType<S> type, String yaml) {
        Optional<S> spec = parse(type, yaml);
        if (!problems.isEmpty() || spec.isEmpty()) {
            throw new AssertionError("expected no problems, got:\n" + problems.render());
        }
        return spec.get();
    }

    public String rendered() {
        return problems.render();
    }
}
