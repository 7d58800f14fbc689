package dev.opsctl.runbook.load;

import dev.opsctl.source.MapNode;
import dev.opsctl.source.Node;
import dev.opsctl.source.Problems;
import dev.opsctl.source.ScalarNode;
import dev.opsctl.source.SeqNode;
import dev.opsctl.source.SourcePos;
import dev.opsctl.template.Condition;
import dev.opsctl.template.Template;
import dev.opsctl.template.TemplateException;
import dev.opsctl.template.VarRef;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Checks templates and conditions at load time: syntax, and that every variable read will exist. */
final class TemplateChecks {
    private final SourceTexts texts;
    private final Problems problems;

    TemplateChecks(SourceTexts texts, Problems problems) {
        this.texts = texts;
        this.problems = problems;
    }

    /** Every string under {@code node} that has a {@code {{ }}} hole, except the values of {@code skipKeys} at the top. */
    void walk(Node node, VarScope scope, Set<String> skipKeys) {
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

    void template(String text, SourcePos pos, VarScope scope) {
        Template t;
        try {
            t = Template.parse(text);
        } catch (TemplateException e) {
            problems.error(texts.at(pos, text, e.offset()), "bad template: " + e.getMessage());
            return;
        }
        references(t.references(), text, pos, scope);
    }

    void condition(String text, SourcePos pos, VarScope scope) {
        Condition c;
        try {
            c = Condition.parse(text);
        } catch (TemplateException e) {
            problems.error(texts.at(pos, text, e.offset()), "bad condition: " + e.getMessage());
            return;
        }
        references(c.references(), text, pos, scope);
    }

    private void references(List<VarRef> refs, String text, SourcePos pos, VarScope scope) {
        for (VarRef ref : refs) {
            Optional<VarScope.Finding> finding = scope.check(ref.path());
            finding.ifPresent(f -> problems.error(texts.at(pos, text, ref.offset()), f.message(), f.hint()));
        }
    }
}
