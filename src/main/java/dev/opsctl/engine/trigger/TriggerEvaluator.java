package dev.opsctl.engine.trigger;

import dev.opsctl.action.StepResult;
import dev.opsctl.engine.execute.Sleeper;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

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

    /**
     * After a host's last step: a probe trigger pending then (its condition held, not yet for its whole {@code for} or on
     * {@code failure_limit} samples in a row) would have fired on a host the run calls ok. Those triggers are sampled at
     * their intervals until each fires or clears, and at the latest until each could have fired had it gone on holding,
     * plus one interval and one probe timeout (a probe whose answer cannot be judged leaves its trigger pending). Triggers that become pending
     * meanwhile are not waited for: a flapping condition would hold the host for ever. {@code notices} hears the wait.
     */
    public TriggerVerdict settle(String host, Map<String, Object> variables, ProbeRunner probes, Sleeper sleeper,
            Consumer<String> notices) throws InterruptedException {
        Instant now = clock.instant();
        Map<Trigger, Instant> until = new LinkedHashMap<>();
        for (Trigger t : triggers) {
            Sustain state = states.get(key(host, t));
            if (t.probe().isPresent() && state != null && state.pending()) {
                Duration window = t.forDuration().orElse(Duration.ZERO).minus(state.heldFor(now));
                Duration samples = t.interval().multipliedBy(Math.max(0, t.failureLimit() - state.consecutive()));
                until.put(t, now.plus(window.compareTo(samples) > 0 ? window : samples).plus(t.interval()).plus(probeTimeout(t)));
            }
        }
        if (until.isEmpty()) {
            return TriggerVerdict.QUIET;
        }
        Duration longest = Duration.between(now, until.values().stream().max(Instant::compareTo).orElseThrow());
        notices.accept("host '" + host + "' finished its steps while " + names(until.keySet()) + " pending: watching "
                + (until.size() == 1 ? "it until it fires" : "them until each fires") + " or clears (at most "
                + Durations.format(longest) + ")");
        while (true) {
            Instant at = clock.instant();
            until.entrySet().removeIf(e -> !states.get(key(host, e.getKey())).pending());
            for (Trigger t : List.copyOf(until.keySet())) {
                if (!until.get(t).isAfter(at)) {
                    until.remove(t);
                    notices.accept("trigger '" + t.name() + "' on host '" + host + "' is still pending where it would have fired had"
                            + " its condition gone on holding (its probe's answers could not be judged): no longer watched");
                }
            }
            if (until.isEmpty()) {
                return TriggerVerdict.QUIET;
            }
            Duration wait = until.keySet().stream().map(t -> states.get(key(host, t)).untilDue(at, t.interval()))
                    .min(Duration::compareTo).orElseThrow();
            sleeper.sleep(wait);
            TriggerVerdict v = sample(host, variables, probes, true, until::containsKey);
            if (v instanceof TriggerVerdict.Fire) {
                return v;
            }
            ((TriggerVerdict.Ok) v).notes().forEach(notices);
        }
    }

    private static Duration probeTimeout(Trigger t) {
        return t.interval().compareTo(MIN_PROBE_TIMEOUT) < 0 ? MIN_PROBE_TIMEOUT : t.interval();
    }

    private static String names(Set<Trigger> ts) {
        List<String> names = ts.stream().map(t -> "'" + t.name() + "'").toList();
        return (names.size() == 1 ? "trigger " : "triggers ") + String.join(", ", names) + (names.size() == 1 ? " was" : " were");
    }

    private static String key(String host, Trigger t) {
        return host + "\u0000" + t.name();
    }

    private TriggerVerdict sample(String host, Map<String, Object> variables, ProbeRunner probes, boolean onlyDue)
            throws InterruptedException {
        return sample(host, variables, probes, onlyDue, t -> true);
    }

    private TriggerVerdict sample(String host, Map<String, Object> variables, ProbeRunner probes, boolean onlyDue,
            Predicate<Trigger> which) throws InterruptedException {
        List<String> notes = new ArrayList<>();
        for (Trigger t : triggers) {
            if (t.probe().isEmpty() || t.when().isEmpty() || !armed(t, variables) || !which.test(t)) {
                continue;
            }
            Sustain state = states.computeIfAbsent(key(host, t), k -> new Sustain());
            if (onlyDue && !state.due(clock.instant(), t.interval())) {
                continue;
            }
            StepResult r = probes.run(t.probe().get(), probeTimeout(t));
            ProbeSample s = ProbeSample.judge(t.when().get(), r, variables);
            Instant now = clock.instant();
            if (s.inconclusive()) {
                state.unjudged(now);
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
