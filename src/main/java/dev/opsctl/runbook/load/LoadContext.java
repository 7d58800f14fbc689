package dev.opsctl.runbook.load;

import dev.opsctl.action.ActionRegistry;
import dev.opsctl.action.ActionType;
import dev.opsctl.action.Invocation;
import dev.opsctl.action.ParseContext;
import dev.opsctl.source.Node;
import dev.opsctl.source.Problems;
import dev.opsctl.source.SourceLines;
import dev.opsctl.source.SourcePos;
import dev.opsctl.template.TemplateChecks;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/** The state of one load: registries, the problems found so far, the texts read, the template checks. */
final class LoadContext {
    final ActionRegistry registry;
    final Checklists checklists;
    final Problems problems = new Problems();
    final SourceLines lines = new SourceLines();
    final SourceTexts texts = new SourceTexts(lines);
    final TemplateChecks checks = new TemplateChecks(lines, problems);

    LoadContext(ActionRegistry registry, Checklists checklists) {
        this.registry = registry;
        this.checklists = checklists;
    }

    /** The context a step type parses in: its conditions are checked against {@code scope} plus the names it adds. */
    ParseContext parseContext(Path baseDir, VarScope scope) {
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
                checks.condition(text, pos, scope.withExtra(extraNames, false));
            }
        };
    }

    /** Parses a step type's node; a type that makes no spec but reports nothing still gets a problem. */
    Optional<Invocation<?>> parseAction(ActionType<?> type, Node node, ParseContext ctx) {
        int before = problems.size();
        Optional<Invocation<?>> invocation;
        try {
            invocation = invoke(type, node, ctx);
        } catch (RuntimeException e) {
            // A step type must report bad input as problems; if one throws, say so here rather than crash the load.
            problems.error(node.pos(), "step type '" + type.name() + "' failed on this value: " + e
                    + " (this is a bug in opsctl)");
            return Optional.empty();
        }
        if (invocation.isEmpty() && problems.size() == before) {
            problems.error(node.pos(), "invalid '" + type.name() + "' step");
        }
        return invocation;
    }

    private static <S> Optional<Invocation<?>> invoke(ActionType<S> type, Node node, ParseContext ctx) {
        return type.parse(node, ctx).<Invocation<?>>map(spec -> new Invocation<>(type, spec));
    }
}
