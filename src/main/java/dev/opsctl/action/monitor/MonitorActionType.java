package dev.opsctl.action.monitor;

import dev.opsctl.action.ActionType;
import dev.opsctl.action.ParseContext;
import dev.opsctl.action.StepContext;
import dev.opsctl.action.StepResult;
import dev.opsctl.action.TemplatedDuration;
import dev.opsctl.action.WatchOutcome;
import dev.opsctl.action.WatchTick;
import dev.opsctl.source.Durations;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import dev.opsctl.target.TargetException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code monitor}: watches the host for {@code duration}, the runbook's probe triggers sampled every
 * {@code interval}; ok when nothing fired. The step only watches: when a trigger fires it fails with
 * the trigger's reason, and the engine applies the trigger's action (rollback...) after it returns.
 */
public final class MonitorActionType implements ActionType<MonitorSpec> {
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

    @Override
    public String name() {
        return "monitor";
    }

    @Override
    public String description() {
        return "Watches the host for a while after a change: for 'duration', every 'interval' (default 10s), the runbook's "
                + "probe triggers are sampled (a trigger's own 'interval' is respected, its 'for' window and 'failure_limit' "
                + "apply). The step is ok when the whole duration passed and nothing fired; when a trigger fires it ends at "
                + "once, failed, and the trigger's action (rollback, ask, halt...) is applied. Result fields: samples, "
                + "watched_ms. 'duration' may be a template such as \"{{ monitor_duration }}\" (give the step an 'estimate' then).";
    }

    @Override
    public String example() {
        return """
                id: watch
                monitor: {duration: 5m, interval: 10s}
                """;
    }

    @Override
    public Optional<MonitorSpec> parse(Node node, ParseContext ctx) {
        Optional<MapReader> reader = MapReader.of(node, "'monitor'", ctx.problems());
        if (reader.isEmpty()) {
            return Optional.empty();
        }
        MapReader r = reader.get();
        if (!r.has("duration")) {
            ctx.problems().error(r.pos(), "missing required key 'duration' in 'monitor'", "write monitor: {duration: 5m, interval: 10s}");
        }
        Optional<TemplatedDuration> duration = TemplatedDuration.read(r, "duration", "'duration' in 'monitor'", ctx.problems());
        Duration interval = r.duration("interval").orElse(DEFAULT_INTERVAL);
        if (interval.isZero() || interval.isNegative()) {
            ctx.problems().error(r.keyPos("interval"), "'interval' in 'monitor' must be longer than 0s");
        }
        r.finish();
        if (duration.isEmpty() || interval.isZero() || interval.isNegative()) {
            return Optional.empty();
        }
        return Optional.of(new MonitorSpec(duration.get(), interval));
    }

    @Override
    public StepResult execute(MonitorSpec spec, StepContext ctx) throws TargetException, InterruptedException {
        Duration duration;
        try {
            duration = spec.duration().resolve(ctx, "'duration' in 'monitor'");
        } catch (TemplatedDuration.Invalid e) {
            return StepResult.failed(e.getMessage(), Map.of());
        }
        ctx.progress("watching for " + Durations.format(duration) + ", every " + Durations.format(spec.interval()));
        java.time.Instant start = ctx.clock().instant();
        WatchOutcome w = ctx.watch(duration, spec.interval(), WatchTick.NONE);
        Duration watched = Duration.between(start, ctx.clock().instant());
        Map<String, Object> data = Map.of("samples", (long) w.samples(), "watched_ms", watched.toMillis());
        return switch (w.state()) {
            case QUIET -> StepResult.ok("watched " + Durations.format(watched) + ", " + w.samples() + " samples, nothing fired", data)
                    .withElapsed(watched);
            case FIRED -> StepResult.failed("after " + Durations.format(watched) + " of watching: " + w.reason(), data).withElapsed(watched);
            case FAILED -> StepResult.failed(w.reason(), data).withElapsed(watched);
        };
    }

    @Override
    public Optional<Set<String>> resultFields() {
        return Optional.of(Set.of("samples", "watched_ms"));
    }

    @Override
    public Duration estimate(MonitorSpec spec) {
        return spec.duration().orIfTemplate(Duration.ZERO);
    }

    @Override
    public Map<String, TemplatedDuration> durations(MonitorSpec spec) {
        return Map.of("'duration' in 'monitor'", spec.duration());
    }

    @Override
    public String summary(MonitorSpec spec) {
        return "monitor " + spec.duration().describe() + " every " + Durations.format(spec.interval());
    }
}
