package dev.opsctl.action.notice;

import dev.opsctl.action.ActionType;
import dev.opsctl.action.ParseContext;
import dev.opsctl.action.StepContext;
import dev.opsctl.action.StepResult;
import dev.opsctl.source.DidYouMean;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import dev.opsctl.source.ScalarNode;
import dev.opsctl.template.TemplateException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code notice: {level: warning, message: "..."}}: a diagnosis or an escalation rule, said to the
 * operator and kept in the journal. It reports; it never fails the step.
 */
public final class NoticeActionType implements ActionType<NoticeSpec> {
    private static final List<String> LEVELS = List.of("info", "warning", "error");

    @Override
    public String name() {
        return "notice";
    }

    @Override
    public String description() {
        return "Tells the operator something that belongs in the run's record: a diagnosis ('likely cause: ...') or an "
                + "escalation rule. 'message' is a template; 'level' is info (the default), warning or error. The console "
                + "prints it on its own line, '-o json' emits it as a notice event and the journal keeps it. A bare string "
                + "is an info message. The step itself is always ok (use 'when' to say it only when it applies); reports "
                + "'level' and 'message'.";
    }

    @Override
    public String example() {
        return """
                id: escalate
                notice:
                  level: error
                  message: "not recovered: escalate to the development team (30 minutes without recovery)"
                """;
    }

    @Override
    public Optional<NoticeSpec> parse(Node node, ParseContext ctx) {
        if (node instanceof ScalarNode s && s.kind() == ScalarNode.Kind.STRING) {
            return checked("info", s.text(), node, ctx);
        }
        Optional<MapReader> reader = MapReader.of(node, "'notice'", ctx.problems());
        if (reader.isEmpty()) {
            return Optional.empty();
        }
        MapReader r = reader.get();
        String message = r.requiredString("message", "write message: \"likely cause: ...\"");
        String level = r.string("level").orElse("info");
        if (!LEVELS.contains(level)) {
            ctx.problems().error(r.node("level").orElse(node).pos(), "unknown notice level '" + level + "'",
                    DidYouMean.closest(level, LEVELS).or(() -> LEVELS.stream().filter(l -> l.startsWith(level)).findFirst())
                            .map(c -> "did you mean '" + c + "'?").orElse("expected one of: " + String.join(", ", LEVELS)));
        }
        r.finish();
        return r.has("message") && LEVELS.contains(level) ? checked(level, message, r.node("message").orElse(node), ctx)
                : Optional.empty();
    }

    private static Optional<NoticeSpec> checked(String level, String message, Node at, ParseContext ctx) {
        if (message.isBlank()) {
            ctx.problems().error(at.pos(), "the message of 'notice' is empty", "write what the operator should know");
            return Optional.empty();
        }
        return Optional.of(new NoticeSpec(level, message));
    }

    @Override
    public Optional<Set<String>> resultFields() {
        return Optional.of(Set.of("level", "message"));
    }

    @Override
    public StepResult execute(NoticeSpec spec, StepContext ctx) {
        String text;
        try {
            text = ctx.render(spec.message()).strip();
        } catch (TemplateException e) {
            return StepResult.failed("cannot render the message: " + e.getMessage(), Map.of());
        }
        ctx.notice(spec.level(), text);
        String shown = ctx.mask(text);
        return StepResult.ok(shown, Map.of("level", spec.level(), "message", shown));
    }

    @Override
    public Duration estimate(NoticeSpec spec) {
        return Duration.ZERO;
    }

    @Override
    public String summary(NoticeSpec spec) {
        return spec.level() + ": " + spec.message();
    }
}
