package dev.opsctl.template;

import dev.opsctl.source.MapNode;
import dev.opsctl.source.Node;
import dev.opsctl.source.Problems;
import dev.opsctl.source.ScalarNode;
import dev.opsctl.source.SeqNode;
import dev.opsctl.source.SourceLines;
import dev.opsctl.source.SourcePos;
import java.util.List;
import java.util.Set;

/**
 * Checks templates and conditions at load time, for the runbook and the checklist loaders alike: syntax,
 * and that every variable read will exist, reported at the exact column inside a one-line scalar.
 */
public final class TemplateChecks {
    private final SourceLines lines;
    private final Problems problems;

    public TemplateChecks(SourceLines lines, Problems problems) {
        this.lines = lines;
        this.problems = problems;
    }

    /** Every string under {@code node} that has a {@code {{ }}} hole, except the values of {@code skipKeys} at the top. */
    public void walk(Node node, VarCheck scope, Set<String> skipKeys) {
        if (node instanceof MapNode map) {
            map.entries().forEach((k, e) -> {
                if (!skipKeys.contains(k)) {
                    walk(e.value(), scope, Set.of());
                }
            });
        } else if (node instanceof SeqNode seq) {
            seq.items().forEach(i -> walk(i, scope, Set.of()));
        } else if (node instanceof ScalarNode s && s.kind() == ScalarNode.Kind.STRING && s.text().contains("{{")) {
            template(s.text(), s.pos(), scope);
        }
    }

    public void template(String text, SourcePos pos, VarCheck scope) {
        Template t;
        try {
            t = Template.parse(text);
        } catch (TemplateException e) {
            problems.error(lines.at(pos, text, e.offset()), "bad template: " + e.getMessage());
            return;
        }
        references(t.references(), text, pos, scope);
    }

    public void condition(String text, SourcePos pos, VarCheck scope) {
        Condition c;
        try {
            c = Condition.parse(text);
        } catch (TemplateException e) {
            problems.error(lines.at(pos, text, e.offset()), "bad condition: " + e.getMessage());
            return;
        }
        references(c.references(), text, pos, scope);
    }

    private void references(List<VarRef> refs, String text, SourcePos pos, VarCheck scope) {
        for (VarRef ref : refs) {
            scope.check(ref.path()).ifPresent(f -> problems.error(lines.at(pos, text, ref.offset()), f.message(), f.hint().orElse(null)));
        }
    }
}
