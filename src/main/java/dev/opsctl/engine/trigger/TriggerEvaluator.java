package dev.opsctl.engine.trigger;

import dev.opsctl.action.StepResult;
import dev.opsctl.runbook.model.Step;
import dev.opsctl.runbook.model.Trigger;
import dev.opsctl.source.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether a host's triggers fire. Step-failure triggers are checked against each step's result;
 * probe triggers run their probe and judge its result after every step, and during {@code monitor} steps
 * and a step's pauses ({@code wait}, {@code sleep}) whenever their {@code interval} has passed. The first trigger (in runbook order) that fires
 * wins. Keeps the pending state per host and trigger; thread-safe across hosts (each host's state is
 * touched only by that host's thread). Never acts: the caller applies the verdict.
 */
public final class TriggerEvaluator {
    /** A probe gets at least this long to answer, however short its trigger's interval. */
    static final Duration MIN_PROBE_TIMEOUT = Duration.ofSeconds(10);

    private final List<Trigger> triggers;
    private final Clock clock;
    private final Map<String, Sustain> states = new ConcurrentHashMap<>();

    public TriggerEvaluator(List<Trigger> triggers, Clock clock) {
        this.triggers = List.copyOf(triggers);
        this.clock = clock;
    }

    public boolean hasProbes() {
        return triggers.stream().anyMatch(t -> t.probe().isPresent());
    }

    /** After a step ran (or was skipped): step-failure triggers first, then every probe trigger sampled once. */
    public TriggerVerdict afterStep(String host, Step step, StepResult result, Map<String, Object> variables, ProbeRunner probes)
            throws InterruptedException {
        for (Trigger t : triggers) {
            if (t.onStep().isPresent() && StepFailures.matches(t.onStep().get(), step, result)) {
                Map<String, Object> values = new LinkedHashMap<>();
                values.put("step", step.id());
                values.put("outcome", result.outcome().name().toLowerCase(java.util.Locale.ROOT));
                values.put("rc", (long) result.rc());
                values.put("class", StepFailures.failureClass(result.outcome()));
                return new TriggerVerdict.Fire(t, "step '" + step.id() + "' failed (" + StepFailures.failureClass(result.outcome())
                        + "): " + result.message(), values);
            }
        }
        return sample(host, variables, probes, false);
    }

    /** A resume going on after a step an earlier process finished: every armed probe trigger sampled once, as after that step. */
    public TriggerVerdict afterResumedStep(String host, Map<String, Object> variables, ProbeRunner probes) throws InterruptedException {
        return sample(host, variables, probes, false);
    }

    /** While a monitor step watches or a step pauses: the probe triggers due by their own interval. */
    public TriggerVerdict whileWatching(String host, Map<String, Object> variables, ProbeRunner probes) throws InterruptedException {
        return sample(host, variables, probes, true);
    }

    private TriggerVerdict sample(String host, Map<String, Object> variables, ProbeRunner probes, boolean onlyDue)
            throws InterruptedException {
        List<String> notes = new ArrayList<>();
        for (Trigger t : triggers) {
            if (t.probe().isEmpty() || t.when().isEmpty() || !armed(t, variables)) {
                continue;
            }
            Sustain state = states.computeIfAbsent(host + "\u0000" + t.name(), k -> new Sustain());
            if (onlyDue && !state.due(clock.instant(), t.interval())) {
                continue;
            }
            Duration timeout = t.interval().compareTo(MIN_PROBE_TIMEOUT) < 0 ? MIN_PROBE_TIMEOUT : t.interval();
            StepResult r = probes.run(t.probe().get(), timeout);
            ProbeSample s = ProbeSample.judge(t.when().get(), r, variables);
            Instant now = clock.instant();
            if (s.inconclusive()) {
                notes.add("trigger '" + t.name() + "' on host '" + host + "': " + s.evidence());
                continue;
            }
            Duration forDuration = t.forDuration().orElse(Duration.ZERO);
            Sustain.State st = state.sample(s.holds(), now, forDuration, t.failureLimit());
            if (st == Sustain.State.FIRING) {
                return new TriggerVerdict.Fire(t, s.evidence() + sustained(t), s.values());
            }
            if (st == Sustain.State.PENDING) {
                notes.add("trigger '" + t.name() + "' pending on host '" + host + "': " + s.evidence() + "; "
                        + pendingFor(state, now, forDuration, t.failureLimit()));
            }
        }
        return new TriggerVerdict.Ok(notes);
    }

    /** What a pending trigger still waits for: the rest of its window, the rest of its samples in a row, or both (never neither). */
    private static String pendingFor(Sustain state, Instant now, Duration forDuration, int failureLimit) {
        List<String> parts = new ArrayList<>();
        if (state.heldFor(now).compareTo(forDuration) < 0) {
            parts.add("held for " + Durations.format(state.heldFor(now)) + " of " + Durations.format(forDuration));
        }
        if (state.consecutive() < failureLimit) {
            parts.add(state.consecutive() + " of " + failureLimit + " samples in a row");
        }
        return String.join(", ", parts);
    }

    /** A trigger with {@code after: <step>} is sampled only once that step has finished on this host. */
    private static boolean armed(Trigger t, Map<String, Object> variables) {
        return t.armedAfter().map(id -> variables.get("steps") instanceof Map<?, ?> steps && steps.containsKey(id)).orElse(true);
    }

    private static String sustained(Trigger t) {
        List<String> parts = new ArrayList<>();
        t.forDuration().ifPresent(d -> parts.add("for " + Durations.format(d)));
        if (t.failureLimit() > 1) {
            parts.add("on " + t.failureLimit() + " samples in a row");
        }
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }
}
