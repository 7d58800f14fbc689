package dev.opsctl.checklist.run;

import dev.opsctl.checklist.Checklist;
import dev.opsctl.checklist.Item;
import dev.opsctl.checklist.ItemGroup;
import dev.opsctl.checklist.Placement;
import dev.opsctl.source.Secret;
import dev.opsctl.template.Condition;
import dev.opsctl.template.MapScope;
import dev.opsctl.template.Masker;
import dev.opsctl.template.Quoting;
import dev.opsctl.template.Template;
import dev.opsctl.template.TemplateException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluates a checklist: group by group (each no earlier than its {@code after}), item by item, and for
 * host-placed items host by host. Checked items run their probe through the {@link ProbeRunner}; manual
 * items are asked through the {@link ChecklistPrompter}. Anything not answered fails closed.
 * One run at a time per instance; evidence and notes are masked with the run's secret params.
 */
public final class ChecklistRunner {
    private static final int MAX_SAID = 200;
    private final ProbeRunner probes;
    private final ChecklistPrompter prompter;
    private final Clock clock;
    private final Sleeper sleeper;

    public ChecklistRunner(ProbeRunner probes, ChecklistPrompter prompter, Clock clock, Sleeper sleeper) {
        this.probes = probes;
        this.prompter = prompter;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    public ChecklistResult run(Checklist checklist, ChecklistRun run) throws InterruptedException {
        Instant started = clock.instant();
        Masker masker = masker(run);
        List<ItemResult> results = new ArrayList<>();
        for (ItemGroup group : checklist.groups()) {
            Duration remaining = Duration.between(clock.instant(), started.plus(group.after()));
            if (!remaining.isNegative() && !remaining.isZero()) {
                prompter.waiting(group, remaining);
                sleeper.sleep(remaining);
            }
            for (Item item : group.items()) {
                for (Optional<String> host : subjects(item, run)) {
                    Map<String, Object> vars = vars(run, host, started);
                    Item shown = rendered(item, vars, masker);
                    Optional<ItemResult> skipped = notApplicable(shown, group, host, vars, run);
                    if (skipped.isPresent()) {
                        prompter.checked(skipped.get());
                        results.add(skipped.get());
                        continue;
                    }
                    ItemResult r = item.manual()
                            ? ask(shown, group, host, context(results, host), run, masker)
                            : check(shown, group, host, vars, run, masker);
                    results.add(r);
                }
            }
        }
        Map<String, String> params = new LinkedHashMap<>();
        checklist.params().forEach(p -> Optional.ofNullable(run.params().get(p.name()))
                .ifPresent(v -> params.put(p.name(), v instanceof Secret ? Secret.MASK : masker.mask(String.valueOf(v)))));
        return new ChecklistResult(checklist.name(), checklist.displayTitle(), run.operator(), started, clock.instant(), run.hosts(), params,
                results);
    }

    /**
     * An item whose {@code when} is false: skipped, the condition as the reason (never passed). A condition that
     * cannot be evaluated fails the item: a gate must not open because its condition is broken.
     */
    private Optional<ItemResult> notApplicable(Item item, ItemGroup group, Optional<String> host, Map<String, Object> vars,
            ChecklistRun run) {
        if (item.when().isEmpty()) {
            return Optional.empty();
        }
        String when = item.when().get();
        ItemStatus status;
        String note;
        try {
            if (Condition.parse(when).test(new MapScope(vars))) {
                return Optional.empty();
            }
            status = ItemStatus.SKIPPED;
            note = "'when' is false: " + when;
        } catch (TemplateException e) {
            status = ItemStatus.FAILED;
            note = "cannot evaluate 'when: " + when + "': " + e.getMessage();
        }
        return Optional.of(new ItemResult(item.id(), item.text(), group.name(), host, item.manual(), status, run.operator(), clock.instant(),
                note, List.of()));
    }

    private ItemResult check(Item item, ItemGroup group, Optional<String> host, Map<String, Object> vars, ChecklistRun run, Masker masker)
            throws InterruptedException {
        ProbeCheck.Outcome outcome = new ProbeCheck(probes, clock, sleeper, masker).evaluate(item, host, vars);
        String note = outcome.passed() ? "" : failureNote(item, outcome);
        ItemResult r = new ItemResult(item.id(), item.text(), group.name(), host, false,
                outcome.passed() ? ItemStatus.PASSED : ItemStatus.FAILED, run.operator(), clock.instant(), note, outcome.evidence());
        prompter.checked(r);
        return r;
    }

    private ItemResult ask(Item item, ItemGroup group, Optional<String> host, List<Evidence> context, ChecklistRun run, Masker masker)
            throws InterruptedException {
        Answer a = prompter.ask(item, host, context);
        String note = masker.mask(a.note().strip());
        ItemStatus status = switch (a.decision()) {
            case CONFIRM -> ItemStatus.PASSED;
            case FAIL -> ItemStatus.FAILED;
            case SKIP -> ItemStatus.SKIPPED;
            case NONE -> ItemStatus.UNANSWERED;
        };
        if (status == ItemStatus.PASSED && item.noteRequired() && note.isEmpty()) {
            status = ItemStatus.UNANSWERED;
            note = "confirmed without the note this item requires";
        } else if (status == ItemStatus.SKIPPED && note.isEmpty()) {
            status = ItemStatus.UNANSWERED;
            note = "skipped without a reason";
        }
        return new ItemResult(item.id(), item.text(), group.name(), host, true, status, masker.mask(a.operator().orElse(run.operator())),
                clock.instant(), note, List.of());
    }

    private static List<Optional<String>> subjects(Item item, ChecklistRun run) {
        if (item.placement() == Placement.CONTROLLER || run.hosts().isEmpty()) {
            return List.of(Optional.empty());
        }
        return run.hosts().stream().map(Optional::of).toList();
    }

    private static List<Evidence> context(List<ItemResult> results, Optional<String> host) {
        return results.stream()
                .filter(r -> !r.manual() && (r.host().isEmpty() || r.host().equals(host)))
                .flatMap(r -> r.evidence().isEmpty() ? java.util.stream.Stream.empty()
                        : java.util.stream.Stream.of(r.evidence().get(r.evidence().size() - 1)))
                .toList();
    }

    /** The root of the template scope: params bare and as params.*, vars.*, run.*, host.* (name, address...). */
    static Map<String, Object> vars(ChecklistRun run, Optional<String> host, Instant started) {
        Map<String, Object> root = new LinkedHashMap<>(run.params());
        root.put("params", run.params());
        root.put("vars", run.vars());
        Map<String, Object> runFields = new LinkedHashMap<>(run.runFields());
        runFields.put("operator", run.operator());
        runFields.put("started", started.toString());
        root.put("run", runFields);
        host.ifPresent(h -> root.put("host", run.hostFields(h)));
        return root;
    }

    private static Item rendered(Item item, Map<String, Object> vars, Masker masker) {
        if (!item.text().contains("{{")) {
            return item;
        }
        String text;
        try {
            text = masker.mask(Template.parse(item.text()).render(new MapScope(vars), Quoting.NONE));
        } catch (TemplateException e) {
            text = item.text();
        }
        return new Item(item.id(), text, item.probe(), item.expect(), item.holdFor(), item.interval(), item.retries(), item.placement(),
                item.noteRequired(), item.when(), item.pos());
    }

    private static String failureNote(Item item, ProbeCheck.Outcome outcome) {
        String why = item.expect().map(e -> "expected " + e).orElse("the probe did not succeed");
        if (!item.holdFor().isZero()) {
            why += " for " + dev.opsctl.source.Durations.format(item.holdFor());
        }
        why += item.retries() > 0 ? " (" + (item.retries() + 1) + " attempts)" : "";
        // its expectation was not judged: there was nothing to judge
        return why + outcome.couldNotCheck().map(c -> "; the probe could not check: " + capped(c)).orElseGet(() -> probeFailure(outcome.evidence()));
    }

    private static String capped(String said) {
        String line = said.strip().replaceAll("\\s+", " ");
        return line.length() > MAX_SAID ? line.substring(0, MAX_SAID - 3) + "..." : line;
    }

    /**
     * Why the last probe itself did not succeed, when it did not: the line its command ended on (the last of stderr) or its
     * message. An expectation over the output of a probe that failed says little; this says what to fix.
     */
    private static String probeFailure(List<Evidence> evidence) {
        if (evidence.isEmpty()) {
            return "";
        }
        Evidence last = evidence.get(evidence.size() - 1);
        String what = switch (last.outcome()) {
            case "failed" -> "the probe failed";
            case "timed_out" -> "the probe timed out";
            case "unreachable" -> "the host is unreachable";
            default -> "";
        };
        if (what.isEmpty()) {
            return "";
        }
        String rc = last.fields().getOrDefault("rc", "");
        String stderr = last.fields().getOrDefault("stderr", "").strip();
        String said = stderr.isEmpty() ? last.fields().getOrDefault("message", "").strip() : lastTelling(stderr);
        if (said.length() > MAX_SAID) {
            said = said.substring(0, MAX_SAID - 3) + "...";
        }
        return "; " + what + (rc.isEmpty() || rc.equals("0") ? "" : " (rc=" + rc + ")") + (said.isEmpty() ? "" : ": " + said);
    }

    /** The last line of stderr, passing over the "Usage: ..." and "Try 'grep --help' ..." lines that follow a usage error. */
    private static String lastTelling(String stderr) {
        List<String> lines = stderr.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (!lines.get(i).matches("Try '[^']*--help'.*|Usage: .*")) {
                return lines.get(i);
            }
        }
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    private static Masker masker(ChecklistRun run) {
        List<String> secrets = new ArrayList<>();
        run.params().values().forEach(v -> collect(v, secrets));
        run.vars().values().forEach(v -> collect(v, secrets));
        return new Masker(secrets);
    }

    private static void collect(Object v, List<String> out) {
        if (v instanceof Secret s) {
            out.add(s.reveal());
        } else if (v instanceof Map<?, ?> m) {
            m.values().forEach(x -> collect(x, out));
        } else if (v instanceof List<?> l) {
            l.forEach(x -> collect(x, out));
        }
    }
}
