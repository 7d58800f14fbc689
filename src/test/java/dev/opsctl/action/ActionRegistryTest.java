package dev.opsctl.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.source.MapNode;
import dev.opsctl.source.Node;
import dev.opsctl.source.Problems;
import dev.opsctl.source.SeqNode;
import dev.opsctl.source.YamlTree;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every standard step type documents itself, and its example loads cleanly. */
class ActionRegistryTest {
    /** The files the examples refer to ({@code scripts/drain.sh}, {@code files/daemon.json}). */
    private static final Path EXAMPLES = Path.of("src/test/resources/examples");

    @Test
    void knowsTheStandardTypes() {
        assertTrue(ActionRegistry.standard().names().containsAll(
                List.of("shell", "script", "copy", "template", "backup", "restore", "wait", "http", "sleep")));
    }

    @TestFactory
    List<DynamicTest> everyTypeHasADescriptionAndAnExampleThatParses() {
        return ActionRegistry.standard().all().stream()
                .map(type -> DynamicTest.dynamicTest(type.name(), () -> check(type)))
                .toList();
    }

    private static <S> void check(ActionType<S> type) {
        assertFalse(type.description().isBlank(), type.name() + " has no description");
        assertTrue(type.description().length() > 80, type.name() + ": a description is a paragraph");
        Problems problems = new Problems();
        Node root = YamlTree.parse(type.name() + "-example.yaml", type.example(), problems).orElseThrow(() -> new AssertionError(problems.render()));
        // a step as written in a runbook's list ("- id: ...") or on its own
        if (root instanceof SeqNode seq && seq.items().size() == 1) {
            root = seq.items().get(0);
        }
        assertTrue(root instanceof MapNode, type.name() + ": the example is a whole step (a mapping)");
        MapNode step = (MapNode) root;
        assertTrue(step.get("id").isPresent(), type.name() + ": the example step has an id");
        Node node = step.get(type.name()).orElseThrow(() -> new AssertionError(type.name() + ": the example does not use '" + type.name() + "'"));
        Optional<S> spec = type.parse(node, ParseContext.lenient(problems, EXAMPLES));
        assertEquals("", problems.render(), type.name() + "'s example has problems");
        assertTrue(spec.isPresent());
        assertFalse(type.summary(spec.get()).isBlank());
        assertFalse(type.estimate(spec.get()).isNegative());
    }
}
