package dev.opsctl.checklist.run;

import dev.opsctl.action.StepResult;
import dev.opsctl.checklist.Item;
import dev.opsctl.target.TargetException;
import dev.opsctl.template.Condition;
import dev.opsctl.template.MapScope;
import dev.opsctl.template.Masker;
import dev.opsctl.template.TemplateException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluates one checked item for one host: up to {@code retries + 1} attempts {@code interval} apart;
 * an attempt passes when every sample for {@code for} (at least one) holds. Keeps the last samples.
 * A probe that could not check ({@link StepResult#couldNotCheck}: no answer, only placeholders) never holds,
 * whatever its {@code expect} would make of its placeholder {@code rc} or empty {@code stdout}.
 */
final class ProbeCheck {
    static final int MAX_SAMPLES = 5;
    static final int MAX_FIELD_CHARS = 2000;
    private static final List<String> SHOWN = List.of("rc", "status", "value", "stdout", "stderr", "message");

    /** {@code couldNotCheck}: why the last sample could not check, when it could not (masked). */
    record Outcome(boolean passed, List<Evidence> evidence, Optional<String> couldNotCheck) {}

    private final ProbeRunner probes;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Masker masker;
    private final Deque<Evidence> samples = new ArrayDeque<>();
    private Optional<String> couldNotCheck = Optional.empty();

    ProbeCheck(ProbeRunner probes, Clock clock, Sleeper sleeper, Masker masker) {
        this.probes = probes;
        this.clock = clock;
        this.sleeper = sleeper;
        this.masker = masker;
    }

    Outcome evaluate(Item item, Optional<String> host, Map<String, Object> vars) throws InterruptedException {
        for (int attempt = 0; attempt <= item.retries(); attempt++) {
            if (attempt > 0) {
                sleeper.sleep(item.interval());
            }
            if (attempt(item, host, vars)) {
                return new Outcome(true, List.copyOf(samples), Optional.empty());
            }
        }
        return new Outcome(false, List.copyOf(samples), couldNotCheck);
    }

    private boolean attempt(Item item, Optional<String> host, Map<String, Object> vars) throws InterruptedException {
        Instant start = clock.instant();
        while (true) {
            if (!sample(item, host, vars)) {
                return false;
            }
            Duration held = Duration.between(start, clock.instant());
            if (held.compareTo(item.holdFor()) >= 0) {
                return true;
            }
            Duration left = item.holdFor().minus(held);
            sleeper.sleep(left.compareTo(item.interval()) < 0 ? left : item.interval());
        }
    }

    private boolean sample(Item item, Optional<String> host, Map<String, Object> vars) throws InterruptedException {
        Instant at = clock.instant();
        String summary = masker.mask(item.probe().orElseThrow().summary());
        StepResult result;
        try {
            result = probes.run(item.probe().orElseThrow(), host, vars);
        } catch (TargetException e) {
            // could not check: never a pass, and the evidence says which way it could not
            String outcome = StepResult.outcomeOf(e).name().toLowerCase(Locale.ROOT);
            String why = masker.mask(e.getMessage());
            couldNotCheck = Optional.of(why);
            record(new Evidence(item.id(), host, at, summary, outcome, false, Map.of("message", cap(why))));
            return false;
        }
        String outcome = result.outcome().name().toLowerCase(Locale.ROOT);
        if (result.couldNotCheck()) {
            String why = masker.mask(result.message());
            couldNotCheck = Optional.of(why);
            // a target's failure has only placeholders beside its message: an rc or an empty stdout is not what the host said
            Map<String, String> fields = result.targetFailed() ? Map.of("message", cap(why)) : shown(result);
            record(new Evidence(item.id(), host, at, summary, outcome, false, fields));
            return false;
        }
        couldNotCheck = Optional.empty();
        Map<String, String> fields = shown(result);
        boolean held;
        if (item.expect().isEmpty()) {
            held = result.succeeded();
        } else {
            try {
                held = Condition.parse(item.expect().get()).test(new MapScope(result.fields()).orElse(new MapScope(vars)));
            } catch (TemplateException e) {
                held = false;
                fields.put("expect", cap(masker.mask("cannot evaluate '" + item.expect().get() + "': " + e.getMessage())));
            }
        }
        record(new Evidence(item.id(), host, at, summary, outcome, held, fields));
        return held;
    }

    private Map<String, String> shown(StepResult result) {
        Map<String, Object> all = result.fields();
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : SHOWN) {
            Object v = key.equals("message") ? result.message() : all.get(key);
            String text = v == null ? "" : String.valueOf(v);
            if (!text.isBlank() && !(key.equals("rc") && result.outcome() == StepResult.Outcome.OK && text.equals("0")
                    && all.containsKey("status"))) {
                out.put(key, cap(masker.mask(text)));
            }
        }
        return out;
    }

    private void record(Evidence e) {
        samples.addLast(e);
        while (samples.size() > MAX_SAMPLES) {
            samples.removeFirst();
        }
    }

    static String cap(String text) {
        if (text.length() <= MAX_FIELD_CHARS) {
            return text;
        }
        return text.substring(0, MAX_FIELD_CHARS) + "... (" + (text.length() - MAX_FIELD_CHARS) + " more characters)";
    }
}
