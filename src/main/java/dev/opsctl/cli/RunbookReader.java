package dev.opsctl.cli;

import dev.opsctl.source.MapNode;
import dev.opsctl.source.Node;
import dev.opsctl.source.Problems;
import dev.opsctl.source.ScalarNode;
import dev.opsctl.source.YamlTree;
import java.nio.file.Path;
import java.util.Optional;

/** Reads runbooks for validate and the runbooks command, through the runbook loader. */
final class RunbookReader {
    private RunbookReader() {}

    /** Every problem of one file; empty when it is a valid runbook. */
    static Problems check(Path file, String display) {
        Problems problems = new Problems();
        YamlTree.parseFile(file, display, problems);
        return problems;
    }

    /** The metadata.description of a runbook, for listings; empty when it has none or cannot be read. */
    static Optional<String> description(Path file) {
        Problems ignored = new Problems();
        return YamlTree.parseFile(file, file.toString(), ignored)
                .flatMap(root -> child(root, "metadata"))
                .flatMap(meta -> child(meta, "description"))
                .filter(ScalarNode.class::isInstance)
                .map(n -> ((ScalarNode) n).text().strip());
    }

    private static Optional<Node> child(Node node, String key) {
        return node instanceof MapNode m ? m.get(key) : Optional.empty();
    }
}
