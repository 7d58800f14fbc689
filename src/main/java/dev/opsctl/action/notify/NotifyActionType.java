package dev.opsctl.action.notify;

import dev.opsctl.action.ActionType;
import dev.opsctl.action.ParseContext;
import dev.opsctl.action.StepContext;
import dev.opsctl.action.StepResult;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import dev.opsctl.template.TemplateException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code notify}: posts a Slack-compatible message to a webhook from the controller. The webhook
 * URL is treated as a secret whether or not its param is declared one: no message, result field or
 * error names it. A failed post fails the step only with {@code fail_on_error: true}.
 */
public final class NotifyActionType implements ActionType<NotifySpec> {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final Webhook webhook = new Webhook();

    @Override
    public String name() {
        return "notify";
    }

    @Override
    public String description() {
        return "Posts a message to a chat webhook from the controller, as Slack-compatible JSON ({\"text\": ..., \"blocks\": ...}; "
                + "Mattermost and most bridges accept it too): 'webhook' (the URL, normally a secret param), 'text', and "
                + "optionally 'channel', 'username' and 'fields' (a mapping shown as a two-column block). 'timeout' "
                + "(default 10s). A webhook that fails or is slow does not fail the step unless 'fail_on_error: true'. "
                + "The URL never appears in output, the journal or reports. Reports 'status' (0 when nothing answered) "
                + "and 'delivered'.";
    }

    @Override
    public String example() {
        return """
                id: tell-ops
                notify:
                  webhook: "{{ slack_webhook }}"
                  text: "docker restarted on {{ host.name }} with userns-remap"
                  fields: {host: "{{ host.name }}", run: "{{ run.id }}"}
                  timeout: 5s
                """;
    }

    @Override
    public Optional<NotifySpec> parse(Node node, ParseContext ctx) {
        Optional<MapReader> reader = MapReader.of(node, "'notify'", ctx.problems());
        if (reader.isEmpty()) {
            return Optional.empty();
        }
        MapReader r = reader.get();
        String url = r.requiredString("webhook", "write webhook: \"{{ slack_webhook }}\" and pass the URL as a secret param");
        if (!url.isEmpty() && !url.contains("{{") && !url.matches("https?://.+")) {
            ctx.problems().error(r.node("webhook").map(Node::pos).orElse(r.pos()), "'webhook' in 'notify' is not an http or https URL",
                    "write webhook: \"{{ slack_webhook }}\"");
        }
        String text = r.requiredString("text", "write text: \"rollout of {{ run.runbook }} finished\"");
        Optional<String> channel = r.string("channel");
        Optional<String> username = r.string("username");
        Map<String, String> fields = r.stringMap("fields");
        Duration timeout = r.duration("timeout").orElse(DEFAULT_TIMEOUT);
        boolean failOnError = r.bool("fail_on_error").orElse(false);
        r.finish();
        return Optional.of(new NotifySpec(url, text, channel, username, fields, timeout, failOnError));
    }

    @Override
    public StepResult execute(NotifySpec spec, StepContext ctx) throws InterruptedException {
        String url;
        SlackMessage message;
        try {
            url = ctx.render(spec.webhook());
            Map<String, String> fields = new LinkedHashMap<>();
            for (Map.Entry<String, String> f : spec.fields().entrySet()) {
                fields.put(f.getKey(), ctx.mask(ctx.render(f.getValue())));
            }
            message = new SlackMessage(ctx.mask(ctx.render(spec.text())), render(spec.channel(), ctx), render(spec.username(), ctx),
                    fields);
        } catch (TemplateException e) {
            return failed(spec, "cannot render the message: " + ctx.mask(e.getMessage()), 0);
        }
        long start = System.nanoTime();
        try {
            URI uri = Webhook.parse(url);
            Webhook.Response r = webhook.post(uri, message.json(), spec.timeout());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            if (r.ok()) {
                return new StepResult(StepResult.Outcome.OK, 0, "", "", "posted to the webhook: " + r.status() + " in "
                        + took.toMillis() + "ms", data(r.status(), true), took);
            }
            return failed(spec, "the webhook answered " + r.status(), r.status());
        } catch (Webhook.Failure e) {
            if (e.timedOut() && spec.failOnError()) {
                return new StepResult(StepResult.Outcome.TIMED_OUT, 1, "", "", e.getMessage(), data(0, false), spec.timeout());
            }
            return failed(spec, e.getMessage(), 0);
        }
    }

    @Override
    public Optional<Set<String>> resultFields() {
        return Optional.of(Set.of("status", "delivered"));
    }

    @Override
    public Duration estimate(NotifySpec spec) {
        return Duration.ofSeconds(1);
    }

    @Override
    public String summary(NotifySpec spec) {
        return "notify: " + spec.text();
    }

    private static Optional<String> render(Optional<String> template, StepContext ctx) throws TemplateException {
        return template.isPresent() ? Optional.of(ctx.mask(ctx.render(template.get()))) : Optional.empty();
    }

    private static StepResult failed(NotifySpec spec, String why, int status) {
        if (spec.failOnError()) {
            return new StepResult(StepResult.Outcome.FAILED, 1, "", "", why, data(status, false), Duration.ZERO);
        }
        return StepResult.ok("not delivered (fail_on_error is false): " + why, data(status, false));
    }

    private static Map<String, Object> data(int status, boolean delivered) {
        return Map.of("status", (long) status, "delivered", delivered);
    }
}
