package dev.opsctl.action.wait;

import dev.opsctl.action.ActionType;
import dev.opsctl.action.ParseContext;
import dev.opsctl.action.StepContext;
import dev.opsctl.action.StepResult;
import dev.opsctl.action.TemplatedDuration;
import dev.opsctl.action.http.HttpProbe;
import dev.opsctl.source.Durations;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import dev.opsctl.target.TargetException;
import dev.opsctl.template.TemplateException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** {@code wait}: polls a command on the host or a URL until a condition holds or the time is up. */
public final class WaitActionType implements ActionType<WaitSpec> {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

    private final HttpProbe probe = new HttpProbe();

    @Override
    public String name() {
        return "wait";
    }

    @Override
    public String description() {
        return "Polls until something is ready: a 'command' on the host (ready by default when 'rc == 0'), or a 'url' "
                + "requested from the controller (ready when it answers 'status', default 200, and contains "
                + "'body_contains'). 'until' is a condition over the last poll's rc, stdout, stderr, status, body, "
                + "latency_ms, elapsed_ms and attempts. Polls every 'interval' (default 5s) for at most 'timeout' "
                + "(default 60s); either may be a template such as \"{{ poll_interval }}\". A command poll whose connection "
                + "is lost, or cannot be made (a host restarting or rebooting), is not ready yet, and polling goes on; a "
                + "refused login or host key fails the step at once. When the time is up the step times out, reporting the "
                + "last observation.";
    }

    @Override
    public String example() {
        return """
                id: wait-docker
                wait:
                  command: systemctl is-active docker
                  until: rc == 0 and stdout contains "active"
                  timeout: 60s
                  interval: 5s
                sudo: true
                """;
    }

    @Override
    public Optional<WaitSpec> parse(Node node, ParseContext ctx) {
        Optional<MapReader> reader = MapReader.of(node, "'wait'", ctx.problems());
        if (reader.isEmpty()) {
            return Optional.empty();
        }
        MapReader r = reader.get();
        Optional<String> command = r.string("command");
        Optional<String> url = r.string("url");
        if (r.has("command") == r.has("url")) {
            ctx.problems().error(r.pos(), "'wait' takes either 'command' or 'url', not " + (r.has("command") ? "both" : "neither"),
                    "write wait: {command: \"systemctl is-active docker\"} or wait: {url: http://...}");
        }
        Optional<Integer> status = r.integer("status");
        Optional<String> bodyContains = r.string("body_contains");
        if (command.isPresent() && (r.has("status") || r.has("body_contains"))) {
            ctx.problems().error(r.keyPos(r.has("status") ? "status" : "body_contains"),
                    "'status' and 'body_contains' apply to a 'url', not a 'command'", "use until: 'stdout contains \"ok\"'");
        }
        Optional<String> until = r.string("until");
        until.ifPresent(u -> ctx.checkCondition(u, r.node("until").map(Node::pos).orElse(r.pos()), Observation.NAMES));
        TemplatedDuration timeout = TemplatedDuration.read(r, "timeout", "'timeout' in 'wait'", ctx.problems())
                .orElse(TemplatedDuration.of(DEFAULT_TIMEOUT));
        TemplatedDuration interval = TemplatedDuration.read(r, "interval", "'interval' in 'wait'", ctx.problems())
                .orElse(TemplatedDuration.of(DEFAULT_INTERVAL));
        WaitSpec spec = new WaitSpec(command, url, status, bodyContains, until, timeout, interval, r.bool("insecure").orElse(false));
        r.finish();
        return Optional.of(spec);
    }

    @Override
    public StepResult execute(WaitSpec spec, StepContext ctx) throws TargetException, InterruptedException {
        Duration timeout;
        Duration interval;
        try {
            timeout = spec.timeout().resolve(ctx, "'timeout' in 'wait'");
            interval = spec.interval().resolve(ctx, "'interval' in 'wait'");
        } catch (TemplatedDuration.Invalid e) {
            return StepResult.failed(e.getMessage(), Map.of());
        }
        Poller poller = new Poller(spec, ctx, probe);
        Instant start = ctx.clock().instant();
        for (int attempts = 1; ; attempts++) {
            Duration left = timeout.minus(Duration.between(start, ctx.clock().instant()));
            Observation o;
            boolean ready;
            Map<String, Object> fields;
            try {
                o = poller.poll(left);
                long elapsed = Duration.between(start, ctx.clock().instant()).toMillis();
                fields = o.fields(elapsed, attempts);
                ready = poller.ready(o, fields);
            } catch (TemplateException e) {
                return StepResult.failed("cannot evaluate 'wait': " + ctx.mask(e.getMessage()), Map.of());
            }
            Duration elapsed = Duration.between(start, ctx.clock().instant());
            if (ready) {
                return new StepResult(StepResult.Outcome.OK, 0, o.stdout(), o.stderr(),
                        "ready after " + attempts + (attempts == 1 ? " attempt" : " attempts") + " (" + Durations.format(round(elapsed)) + ")",
                        fields, elapsed);
            }
            if (elapsed.plus(interval).compareTo(timeout) > 0) {
                return new StepResult(StepResult.Outcome.TIMED_OUT, 1, o.stdout(), o.stderr(),
                        "not ready after " + Durations.format(round(elapsed)) + " (" + attempts + " attempts); last: " + o.summary(),
                        fields, elapsed);
            }
            ctx.progress("waiting for " + ctx.mask(spec.what()) + ": attempt " + attempts + ", "
                    + (o.answered() ? o.summary() : "not ready (" + o.summary() + ")") + " ("
                    + Durations.format(round(elapsed)) + " of " + Durations.format(timeout) + ")");
            ctx.sleep(interval);
        }
    }

    private static Duration round(Duration d) {
        return d.getSeconds() > 0 ? d.withNanos(0) : d;
    }

    @Override
    public Duration estimate(WaitSpec spec) {
        return spec.interval().orIfTemplate(DEFAULT_INTERVAL);
    }

    @Override
    public Map<String, TemplatedDuration> durations(WaitSpec spec) {
        return Map.of("'timeout' in 'wait'", spec.timeout(), "'interval' in 'wait'", spec.interval());
    }

    @Override
    public String summary(WaitSpec spec) {
        return "wait for " + spec.what();
    }
}
