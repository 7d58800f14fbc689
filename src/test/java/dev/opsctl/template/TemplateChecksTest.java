package dev.opsctl.template;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.opsctl.source.Problem;
import dev.opsctl.source.Problems;
import dev.opsctl.source.SourceLines;
import dev.opsctl.source.SourcePos;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TemplateChecksTest {
    private final Problems problems = new Problems();
    private final SourceLines lines = new SourceLines();
    private final TemplateChecks checks = new TemplateChecks(lines, problems);
    /** Knows only {@code known}; anything else is a finding with a hint. */
    private final VarCheck scope = path -> path.get(0).equals("known")
            ? Optional.empty()
            : Optional.of(new VarCheck.Finding("undefined variable '" + path.get(0) + "'", Optional.of("did you mean 'known'?")));

    @Test
    void reportsAnUnknownVariableAtItsColumnInsideAQuotedScalar() {
        lines.add("f.yaml", "a:\n  run: \"echo {{ known }} {{ nown }}\"\n");
        checks.template("echo {{ known }} {{ nown }}", new SourcePos("f.yaml", 2, 8), scope);
        Problem p = problems.sorted().get(0);
        assertEquals(List.of("f.yaml:2:29 undefined variable 'nown'", "did you mean 'known'?"),
                List.of(p.pos().file() + ":" + p.pos().line() + ":" + p.pos().col() + " " + p.message(), p.hint().orElseThrow()));
    }

    @Test
    void aBadConditionIsReportedAtTheScalarWhenTheFileIsUnknown() {
        checks.condition("status >=", new SourcePos("other.yaml", 4, 9), scope);
        Problem p = problems.sorted().get(0);
        assertEquals(new SourcePos("other.yaml", 4, 9), p.pos());
        assertEquals(true, p.message().startsWith("bad condition: "), p.message());
    }
}
