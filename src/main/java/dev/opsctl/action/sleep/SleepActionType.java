package dev.opsctl.action.sleep;

import dev.opsctl.action.ActionType;
import dev.opsctl.action.ParseContext;
import dev.opsctl.action.StepContext;
import dev.opsctl.action.StepResult;
import dev.opsctl.source.Durations;
import dev.opsctl.source.Node;
import dev.opsctl.source.ScalarNode;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** {@code sleep: 30s}: pauses the host's steps; Ctrl-C ends the pause at once. */
public final class SleepActionType implements ActionType<SleepSpec> {
    @Override
    public String name() {
        return "sleep";
    }

    @Override
    public String description() {
        return "Pauses this host's steps for a duration ('sleep: 30s', '5m', '1h30m', '250ms'), for instance to let a "
                + "service settle before the next check. An interrupt ends the pause at once. Prefer 'wait' when there is "
                + "something to poll. The plan counts the whole duration.";
    }

    @Override
    public String example() {
        return """
                id: settle
                sleep: 30s
                """;
    }

    @Override
    public Optional<SleepSpec> parse(Node node, ParseContext ctx) {
        if (node instanceof ScalarNode s && (s.kind() == ScalarNode.Kind.STRING || s.kind() == ScalarNode.Kind.INT)) {
            Optional<Duration> d = Durations.parse(s.text());
            if (d.isPresent()) {
                return Optional.of(new SleepSpec(d.get()));
            }
            ctx.problems().error(node.pos(), "'sleep' is not a duration: '" + s.text() + "'", "write a duration like 30s, 5m or 250ms");
            return Optional.empty();
        }
        ctx.problems().error(node.pos(), "'sleep' must be a duration like 30s, not " + node.describe(), "write sleep: 30s");
        return Optional.empty();
    }

    @Override
    public StepResult execute(SleepSpec spec, StepContext ctx) throws InterruptedException {
        ctx.sleep(spec.duration());
        return StepResult.ok("slept " + Durations.format(spec.duration()), Map.of()).withElapsed(spec.duration());
    }

    @Override
    public Duration estimate(SleepSpec spec) {
        return spec.duration();
    }

    @Override
    public String summary(SleepSpec spec) {
        return "sleep " + Durations.format(spec.duration());
    }
}
