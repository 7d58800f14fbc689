package dev.opsctl.cli;

import dev.opsctl.action.ActionRegistry;
import dev.opsctl.runbook.load.Checklists;
import dev.opsctl.runbook.load.LoadResult;
import dev.opsctl.runbook.load.RunbookLoader;
import dev.opsctl.source.MapNode;
import dev.opsctl.source.Node;
import dev.opsctl.source.Problems;
import dev.opsctl.source.ScalarNode;
import dev.opsctl.source.SourcePos;
import dev.opsctl.source.YamlTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads runbooks for {@code validate} and {@code runbooks}: through the runbook loader with the
 * standard step types, and the checklists found beside the runbook ({@code ../checklists}) or in
 * {@code ./checklists}; with no checklists directory at all, any checklist name is accepted.
 */
final class RunbookReader {
    private final CliEnv env;
    private final ActionRegistry registry;

    RunbookReader(CliEnv env, ActionRegistry registry) {
        this.env = env;
        this.registry = registry;
    }

    /** Loads a file; problems name it as {@code display}. */
    LoadResult load(Path file, String display) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            Problems problems = new Problems();
            problems.error(new SourcePos(display, 0, 0), "cannot read runbook: " + e.getMessage());
            return new LoadResult(Optional.empty(), problems);
        }
        Path dir = file.toAbsolutePath().normalize().getParent();
        return new RunbookLoader(registry, checklistsFor(dir)).load(display, text, dir);
    }

    private Checklists checklistsFor(Path runbookDir) {
        List<Path> dirs = new ArrayList<>();
        if (runbookDir.getParent() != null) {
            dirs.add(runbookDir.getParent().resolve("checklists"));
        }
        dirs.add(env.workingDir().resolve("checklists"));
        Set<String> names = new LinkedHashSet<>();
        boolean any = false;
        for (Path d : dirs) {
            if (Files.isDirectory(d)) {
                any = true;
                RunbookPath.listYaml(d).forEach(p -> names.add(RunbookPath.nameOf(p)));
            }
        }
        return any ? Checklists.of(names) : Checklists.ANY;
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
