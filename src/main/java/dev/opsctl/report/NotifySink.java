package dev.opsctl.report;

import dev.opsctl.action.notify.SlackMessage;
import dev.opsctl.action.notify.Webhook;
import dev.opsctl.event.EventSink;
import dev.opsctl.event.RunEvent;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Posts chosen run events to a chat webhook ({@code opsctl run --notify URL}, a runbook's
 * {@code notify:} block): run started, host failed, trigger fired, rolled back, halted, finished. Posts go out on one background thread, in order, so a slow
 * webhook never holds up the run; {@link #close()} waits (bounded) for the last ones. A post that
 * fails is told to {@code warn} once, without the URL, which is a credential; it never fails the run.
 */
public final class NotifySink implements EventSink, AutoCloseable {
    /** The events that can be posted, by their names in runbooks ({@code notify.on}, the same as {@code Notify.EVENTS}). */
    public enum On {
        STARTED, FAILED, TRIGGER_FIRED, ROLLED_BACK, HALTED, FINISHED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** {@code rolled_back} etc. (also the older {@code run-finished}, {@code host-failed}, {@code rollback-finished}); empty for an unknown name. */
        public static Optional<On> parse(String s) {
            String name = s.strip().replace('-', '_');
            name = switch (name) {
                case "run_finished" -> "finished";
                case "host_failed" -> "failed";
                case "rollback_finished" -> "rolled_back";
                default -> name;
            };
            for (On o : values()) {
                if (o.label().equals(name)) {
                    return Optional.of(o);
                }
            }
            return Optional.empty();
        }

        public static Set<On> all() {
            return EnumSet.allOf(On.class);
        }
    }

    private final URI webhook;
    private final Set<On> on;
    private final Duration timeout;
    private final Consumer<String> warn;
    private final Webhook client = new Webhook();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "opsctl-notify");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, String> runbooks = new LinkedHashMap<>();
    private final AtomicBoolean warned = new AtomicBoolean();
    private final Set<String> haltedRuns = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private NotifySink(URI webhook, Set<On> on, Duration timeout, Consumer<String> warn) {
        this.webhook = webhook;
        this.on = Set.copyOf(on);
        this.timeout = timeout;
        this.warn = warn;
    }

    /** Refuses a URL that is not http(s) with a message that does not repeat it. */
    public static NotifySink of(String webhook, Set<On> on, Duration timeout, Consumer<String> warn) throws IllegalArgumentException {
        try {
            return new NotifySink(Webhook.parse(webhook), on, timeout, warn);
        } catch (Webhook.Failure e) {
            throw new IllegalArgumentException("--notify: " + e.getMessage());
        }
    }

    @Override
    public void accept(RunEvent event) {
        if (event instanceof RunEvent.RunStarted s) {
            runbooks.put(s.runId(), s.runbook());
        }
        text(event).ifPresent(this::post);
    }

    /** The message for an event this sink was asked to post; empty for the rest. */
    Optional<SlackMessage> text(RunEvent event) {
        String rb = runbooks.getOrDefault(event.runId(), "");
        String run = "run " + event.runId() + (rb.isEmpty() ? "" : " (" + SlackMessage.escape(rb) + ")");
        if (event instanceof RunEvent.RunStarted s && on.contains(On.STARTED)) {
            return Optional.of(SlackMessage.of("▶ " + run + " started by " + SlackMessage.escape(s.operator()) + " on " + s.hosts().size()
                    + (s.hosts().size() == 1 ? " host" : " hosts") + (s.resumed() ? " (resumed)" : "")));
        }
        if (event instanceof RunEvent.RunHalted h && on.contains(On.HALTED)) {
            haltedRuns.add(h.runId());
            return Optional.of(SlackMessage.of(Outcomes.symbol("halted") + " " + run + " halted"
                    + (h.reason().isBlank() ? "" : ": " + SlackMessage.escape(h.reason()))));
        }
        // a run that failed without halting (its last host failed): said at the end, as before
        if (event instanceof RunEvent.RunFinished f && !on.contains(On.FINISHED) && on.contains(On.HALTED)
                && f.exitCode() == dev.opsctl.engine.ExitCodes.FAILED && !haltedRuns.contains(f.runId())) {
            return Optional.of(SlackMessage.of(Outcomes.symbol("halted") + " " + run + " halted, exit " + f.exitCode()
                    + (f.message().isBlank() ? "" : "\n" + SlackMessage.escape(f.message()))));
        }
        if (event instanceof RunEvent.RunFinished f && on.contains(On.FINISHED)) {
            Map<String, String> fields = new LinkedHashMap<>();
            f.hosts().forEach((h, s) -> fields.put(h, Outcomes.symbol(s) + " " + Outcomes.words(s)));
            return Optional.of(new SlackMessage(Outcomes.symbol(f.status()) + " " + run + " finished: *"
                    + Outcomes.words(f.status()) + "*, exit " + f.exitCode() + " (" + ExitMeanings.of(f.exitCode()) + ")"
                    + (f.message().isBlank() ? "" : "\n" + SlackMessage.escape(f.message())), Optional.empty(), Optional.empty(),
                    fields));
        }
        if (event instanceof RunEvent.TriggerFired t && on.contains(On.TRIGGER_FIRED)) {
            return Optional.of(SlackMessage.of("⚠ " + run + ": trigger *" + SlackMessage.escape(t.trigger()) + "* fired on "
                    + SlackMessage.escape(t.host()) + " → " + SlackMessage.escape(t.action()) + (t.dryRun() ? " (dry run: not acted on)" : "")
                    + (t.evidence().isBlank() ? "" : "\n```" + t.evidence().replace("```", "'''") + "```")));
        }
        if (event instanceof RunEvent.RollbackFinished r && on.contains(On.ROLLED_BACK)) {
            return Optional.of(SlackMessage.of((r.succeeded() ? "↺ " : "✗ ") + run + ": rollback on " + SlackMessage.escape(r.host())
                    + (r.succeeded() ? " succeeded" : " *FAILED*: a human must act")
                    + (r.message().isBlank() ? "" : "\n" + SlackMessage.escape(r.message()))));
        }
        if (event instanceof RunEvent.HostFinished h && on.contains(On.FAILED)
                && List.of("failed", "unreachable", "rollback_failed").contains(h.status())) {
            return Optional.of(SlackMessage.of(Outcomes.symbol(h.status()) + " " + run + ": host " + SlackMessage.escape(h.host())
                    + " " + Outcomes.words(h.status()) + (h.message().isBlank() ? "" : ": " + SlackMessage.escape(h.message()))));
        }
        return Optional.empty();
    }

    private void post(SlackMessage m) {
        try {
            sender.execute(() -> {
                try {
                    Webhook.Response r = client.post(webhook, m.json(), timeout);
                    if (!r.ok()) {
                        warnOnce("notify: the webhook answered " + r.status());
                    }
                } catch (Webhook.Failure e) {
                    warnOnce("notify: " + e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        } catch (RejectedExecutionException e) {
            warn.accept("notify: an event after the run was closed was not posted");
        }
    }

    /** One warning per sink: a webhook that is down would otherwise repeat itself at every event. */
    private void warnOnce(String message) {
        if (warned.compareAndSet(false, true)) {
            warn.accept(message + " (the run goes on; later failures of this webhook are not reported)");
        }
    }

    /** Waits for the queued posts (up to twice the timeout), then drops what is left with a warning. */
    @Override
    public void close() {
        sender.shutdown();
        try {
            if (!sender.awaitTermination(timeout.toMillis() * 2 + 1000, TimeUnit.MILLISECONDS)) {
                List<Runnable> dropped = new ArrayList<>(sender.shutdownNow());
                warn.accept("notify: " + dropped.size() + " message(s) not posted: the webhook is too slow");
            }
        } catch (InterruptedException e) {
            sender.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
