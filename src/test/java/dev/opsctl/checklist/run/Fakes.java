package dev.opsctl.checklist.run;

import dev.opsctl.action.Invocation;
import dev.opsctl.action.StepResult;
import dev.opsctl.checklist.Checklist;
import dev.opsctl.checklist.Item;
import dev.opsctl.checklist.TestActions;
import dev.opsctl.checklist.load.ChecklistLoadResult;
import dev.opsctl.checklist.load.ChecklistLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Hand-written fakes for runner tests: a clock the sleeper advances, scripted probes, a recording prompter. */
final class Fakes {
    private Fakes() {}

    static Checklist checklist(String yaml) {
        ChecklistLoadResult r = new ChecklistLoader(TestActions.registry()).load("checklists/t.yaml", yaml, Path.of("."));
        if (!r.ok()) {
            throw new AssertionError(r.problems().render());
        }
        return r.checklist().orElseThrow();
    }

    static final class FakeClock extends Clock {
        Instant now = Instant.parse("2026-11-22T02:00:00Z");
        final List<Duration> sleeps = new ArrayList<>();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        Sleeper sleeper() {
            return d -> {
                sleeps.add(d);
                now = now.plus(d);
            };
        }
    }

    /** Probes answered by a function of (summary, host, now), recording every call. */
    static final class FakeProbes implements ProbeRunner {
        final List<String> calls = new ArrayList<>();
        final Map<String, Deque<StepResult>> scripted = new HashMap<>();
        Function<String, StepResult> otherwise = summary -> StepResult.ok("ok", Map.of());
        final List<Map<String, Object>> varsSeen = new ArrayList<>();

        /** Results played in order for probes whose summary contains {@code key}; the last repeats. */
        FakeProbes script(String key, StepResult... results) {
            scripted.put(key, new ArrayDeque<>(List.of(results)));
            return this;
        }

        @Override
        public StepResult run(Invocation<?> probe, Optional<String> host, Map<String, Object> vars) {
            String summary = probe.summary();
            calls.add(summary + host.map(h -> "@" + h).orElse(""));
            varsSeen.add(vars);
            for (var e : scripted.entrySet()) {
                if (summary.contains(e.getKey()) || host.map(h -> e.getKey().equals(summary + "@" + h)).orElse(false)) {
                    Deque<StepResult> q = e.getValue();
                    return q.size() > 1 ? q.removeFirst() : q.peekFirst();
                }
            }
            return otherwise.apply(summary);
        }
    }

    static StepResult shell(int rc, String stdout) {
        return new StepResult(rc == 0 ? StepResult.Outcome.OK : StepResult.Outcome.FAILED, rc, stdout, "", "exit " + rc,
                Map.of("rc", (long) rc, "stdout", stdout), Duration.ZERO);
    }

    /** A shell probe that failed with {@code rc}, printing only {@code stderr}. */
    static StepResult failedShell(int rc, String stderr) {
        return new StepResult(StepResult.Outcome.FAILED, rc, "", stderr, "exit " + rc, Map.of("rc", (long) rc, "stdout", ""), Duration.ZERO);
    }

    static StepResult value(double v) {
        return new StepResult(StepResult.Outcome.OK, 0, "", "", "value " + v, Map.of("value", v), Duration.ZERO);
    }

    /** Answers from a map by item id; records what was asked and the context shown. */
    static final class RecordingPrompter implements ChecklistPrompter {
        final Map<String, Answer> answers = new HashMap<>();
        final List<String> asked = new ArrayList<>();
        final List<List<Evidence>> contexts = new ArrayList<>();
        final List<String> checked = new ArrayList<>();
        final List<Duration> waits = new ArrayList<>();

        @Override
        public Answer ask(Item item, Optional<String> host, List<Evidence> context) {
            asked.add(item.id() + host.map(h -> "@" + h).orElse(""));
            contexts.add(context);
            return answers.getOrDefault(item.id(), Answer.unanswered("no answer in the test"));
        }

        @Override
        public void checked(ItemResult result) {
            checked.add(result.key() + "=" + result.status().label());
        }

        @Override
        public void waiting(dev.opsctl.checklist.ItemGroup group, Duration remaining) {
            waits.add(remaining);
        }
    }
}
