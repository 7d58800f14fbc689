package dev.opsctl.app;

import dev.opsctl.action.notify.Webhook;
import dev.opsctl.event.EventSink;
import dev.opsctl.event.RunEvent;
import dev.opsctl.report.NotifySink;
import dev.opsctl.runbook.model.Notify;
import dev.opsctl.runbook.model.Runbook;
import dev.opsctl.template.MapScope;
import dev.opsctl.template.Quoting;
import dev.opsctl.template.Template;
import dev.opsctl.template.TemplateException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The webhooks a run posts its events to: each {@code --notify URL} (every event) and the runbook's
 * {@code notify:} block (its url rendered from the params, its {@code on} events). URLs are
 * credentials: checked before the run starts with messages that do not repeat them, and never journaled.
 */
final class RunNotifiers {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** One webhook; {@code origin} says where it came from, for messages ('--notify', 'the runbook's notify.url'). */
    record Hook(String url, Set<NotifySink.On> on, String origin) {
        @Override
        public String toString() {
            return "Hook[" + origin + ", on=" + on + "]";
        }
    }

    private RunNotifiers() {}

    /** The hooks of a run; a URL that is not http(s) is a usage error before anything runs. */
    static List<Hook> of(RunRequest request, Runbook rb, Map<String, Object> params) throws OpsctlException {
        return of(request.notifyUrls(), rb, params);
    }

    /** The run header's option that says how many {@code --notify} webhooks a run had (never the URLs). */
    static final String COUNT_OPTION = "notifyWebhooks";

    /** {@code urls} from {@code --notify} (of a run or of its resume) and the runbook's {@code notify:} block. */
    static List<Hook> of(List<String> urls, Runbook rb, Map<String, Object> params) throws OpsctlException {
        List<Hook> hooks = new ArrayList<>();
        for (String url : urls) {
            hooks.add(checked(new Hook(url, NotifySink.On.all(), "--notify")));
        }
        Optional<Notify> block = rb.notification();
        if (block.isPresent()) {
            Notify n = block.get();
            Set<NotifySink.On> on = EnumSet.noneOf(NotifySink.On.class);
            n.on().forEach(e -> NotifySink.On.parse(e).ifPresent(on::add));
            hooks.add(checked(new Hook(render(n, params), on, n.pos() + ": notify.url")));
        }
        return hooks;
    }

    /** A sink per hook, whose one warning goes to {@code bus} as a notice (so the console shows it and the journal keeps it). */
    static List<NotifySink> open(List<Hook> hooks, String runId, Clock clock, EventSink bus) {
        List<NotifySink> sinks = new ArrayList<>();
        for (Hook h : hooks) {
            sinks.add(NotifySink.of(h.url(), h.on(), TIMEOUT,
                    warning -> bus.accept(new RunEvent.Notice(runId, clock.instant(), "warning", "", warning + " [" + h.origin() + "]"))));
        }
        return sinks;
    }

    private static Hook checked(Hook h) throws OpsctlException {
        try {
            Webhook.parse(h.url());
            return h;
        } catch (Webhook.Failure e) {
            throw OpsctlException.usage(h.origin() + ": " + e.getMessage());
        }
    }

    private static String render(Notify n, Map<String, Object> params) throws OpsctlException {
        Map<String, Object> scope = new HashMap<>(params);
        scope.put("params", params);
        try {
            return Template.parse(n.url()).render(new MapScope(scope), Quoting.NONE);
        } catch (TemplateException e) {
            throw OpsctlException.usage(n.pos() + ": notify.url: " + e.getMessage());
        }
    }
}
