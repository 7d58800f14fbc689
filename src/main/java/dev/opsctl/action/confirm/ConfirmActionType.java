package dev.opsctl.action.confirm;

import dev.opsctl.action.ActionType;
import dev.opsctl.action.ParseContext;
import dev.opsctl.action.StepContext;
import dev.opsctl.action.StepResult;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import dev.opsctl.source.ScalarNode;
import dev.opsctl.template.TemplateException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code confirm: {question: "Restart nginx?"}}: asks the operator before a remedy. Never fails the run:
 * an unconfirmed remedy is skipped by the steps that read {@code steps.<id>.confirmed}.
 */
public final class ConfirmActionType implements ActionType<ConfirmSpec> {
    private static final Set<String> FIELDS = Set.of("confirmed", "question");

    @Override
    public String name() {
        return "confirm";
    }

    @Override
    public String description() {
        return "Asks the operator a yes/no question before a remedy ('question' is a template; a bare string is the "
                + "question). Reports 'confirmed' (true or false) and 'question'; later steps run only when confirmed with "
                + "'when: steps.<id>.confirmed' (write 'default(steps.<id>.confirmed, false)' when the confirm step itself "
                + "may be skipped). Answered yes by '--confirm <id>' on the command line, else asked on the terminal; a "
                + "non-interactive run without '--confirm <id>' is not confirmed (fail closed: a notice says how to "
                + "confirm), and the run goes on. 'default' may only be false: nothing is changed without a yes.";
    }

    @Override
    public String example() {
        return """
                id: restart-gateway
                confirm:
                  question: "restart nginx on {{ host.name }}?"
                  default: false
                """;
    }

    @Override
    public Optional<ConfirmSpec> parse(Node node, ParseContext ctx) {
        if (node instanceof ScalarNode s && s.kind() == ScalarNode.Kind.STRING) {
            return nonEmpty(s.text(), node, ctx);
        }
        Optional<MapReader> reader = MapReader.of(node, "'confirm'", ctx.problems());
        if (reader.isEmpty()) {
            return Optional.empty();
        }
        MapReader r = reader.get();
        String question = r.requiredString("question", "write question: \"restart the gateway?\"");
        if (r.bool("default").orElse(false)) {
            ctx.problems().error(r.keyPos("default"), "'default' of 'confirm' may only be false: a remedy needs an explicit yes",
                    "pre-answer it with '--confirm <step-id>' on the command line instead");
        }
        r.finish();
        return r.has("question") ? nonEmpty(question, r.node("question").orElse(node), ctx) : Optional.empty();
    }

    private static Optional<ConfirmSpec> nonEmpty(String question, Node at, ParseContext ctx) {
        if (question.isBlank()) {
            ctx.problems().error(at.pos(), "the question of 'confirm' is empty", "write the question the operator answers");
            return Optional.empty();
        }
        return Optional.of(new ConfirmSpec(question));
    }

    @Override
    public Optional<Set<String>> resultFields() {
        return Optional.of(FIELDS);
    }

    @Override
    public StepResult execute(ConfirmSpec spec, StepContext ctx) throws InterruptedException {
        String question;
        try {
            question = ctx.render(spec.question());
        } catch (TemplateException e) {
            return StepResult.failed("cannot render the question: " + e.getMessage(), Map.of());
        }
        boolean yes = ctx.confirm(question);
        String shown = ctx.mask(question);
        return StepResult.ok((yes ? "confirmed: " : "not confirmed: ") + shown, Map.of("confirmed", yes, "question", shown));
    }

    @Override
    public Duration estimate(ConfirmSpec spec) {
        return Duration.ZERO;
    }

    @Override
    public String summary(ConfirmSpec spec) {
        return "confirm: " + spec.question();
    }
}
