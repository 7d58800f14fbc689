package dev.opsctl.checklist.load;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks templates and conditions at load time (syntax, and that every variable read will exist),
 * reporting at the exact column inside a one-line scalar. Mirrors the runbook loader's checks.
 */
final class TextChecks {
    private final Problems problems;
    private final Map<String, String[]> lines = new HashMap<>();

    TextChecks(Problems problems) {
        this.problems = problems;
    }

    void addSource(String file, String text) {
        lines.put(file, text.split("\r?\n", -1));
    }

    /** Every string under {@code node} with a {@code {{ }}} hole, except the values of {@code skipKeys} at the top. */
    void walk(Node node, NameScope scope, Set<String> skipKeys) {
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

    void template(String text, SourcePos pos, NameScope scope) {
        try {
            references(Template.parse(text).references(), text, pos, scope);
        } catch (TemplateException e) {
            problems.error(at(pos, text, e.offset()), "bad template: " + e.getMessage());
        }
    }

    void condition(String text, SourcePos pos, NameScope scope) {
        try {
            references(Condition.parse(text).references(), text, pos, scope);
        } catch (TemplateException e) {
            problems.error(at(pos, text, e.offset()), "bad condition: " + e.getMessage());
        }
    }

    private void references(List<VarRef> refs, String text, SourcePos pos, NameScope scope) {
        for (VarRef ref : refs) {
            scope.check(ref.path()).ifPresent(f -> problems.error(at(pos, text, ref.offset()), f.message(), f.hint()));
        }
    }

    /** The position of character {@code offset} of a scalar written on one line as it reads; else the scalar's. */
    SourcePos at(SourcePos scalar, String value, int offset) {
        String[] fileLines = lines.get(scalar.file());
        if (fileLines == null || !scalar.isKnown() || scalar.line() > fileLines.length || offset < 0 || offset > value.length()
                || value.indexOf('\n') >= 0) {
            return scalar;
        }
        String line = fileLines[scalar.line() - 1];
        int start = scalar.col() - 1;
        if (start >= line.length()) {
            return scalar;
        }
        char first = line.charAt(start);
        int valueStart = first == '"' || first == '\'' ? start + 1 : start;
        if (!line.startsWith(value, valueStart)) {
            return scalar;
        }
        return new SourcePos(scalar.file(), scalar.line(), valueStart + offset + 1);
    }
}
