package dev.opsctl.cli;

import dev.opsctl.engine.plan.HostBatch;
import dev.opsctl.engine.plan.Plan;
import dev.opsctl.engine.plan.PlannedStep;
import dev.opsctl.engine.plan.PlannedTrigger;
import dev.opsctl.source.Durations;
import dev.opsctl.source.OneLine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code opsctl plan}: the batches, the steps every host runs, and the time estimate, as text or as
 * one JSON object. Hosts appear by name only (inventory variables may hold secrets).
 */
final class PlanView {
    private static final int MAX_HOSTS_SHOWN = 12;

    private PlanView() {}

    static List<String> lines(Plan plan) {
        List<String> out = new ArrayList<>();
        int hosts = plan.hostCount();
        int batches = plan.batches().size();
        out.add("plan: runbook '" + plan.runbook() + "' on " + hosts + (hosts == 1 ? " host" : " hosts") + " in " + batches
                + (batches == 1 ? " batch" : " batches"));
        for (HostBatch b : plan.batches()) {
            List<String> names = b.names();
            String shown = names.size() <= MAX_HOSTS_SHOWN ? String.join(", ", names)
                    : String.join(", ", names.subList(0, MAX_HOSTS_SHOWN)) + ", ... (" + names.size() + " hosts)";
            String wall = b.index() - 1 < plan.estimate().batchWall().size()
                    ? "  ~" + d(plan.estimate().batchWall().get(b.index() - 1)) : "";
            out.add("  batch " + b.index() + ": " + shown + wall);
        }
        out.add("");
        out.add("steps on every host:");
        int w = plan.steps().stream().mapToInt(s -> s.id().length()).max().orElse(4);
        int i = 1;
        for (PlannedStep s : plan.steps()) {
            List<String> flags = new ArrayList<>();
            if (s.conditional()) {
                flags.add("conditional");
            }
            if (s.onController()) {
                flags.add("on controller");
            }
            if (s.sudo()) {
                flags.add("sudo");
            }
            String extra = flags.isEmpty() ? "" : "  [" + String.join(", ", flags) + "]";
            out.add(String.format("  %2d. %-" + w + "s  %-8s ~%-6s %s%s", i++, s.id(), s.type(), d(s.estimate()),
                    oneLine(s.summary()), extra));
        }
        if (!plan.triggers().isEmpty()) {
            out.add("");
            out.add("triggers (evaluated after every step, during monitor steps and pauses, and after the last step while one is"
                    + " pending):");
            for (PlannedTrigger t : plan.triggers()) {
                List<String> how = new ArrayList<>();
                t.forDuration().ifPresent(f -> how.add("for " + d(f)));
                t.interval().filter(iv -> t.forDuration().isPresent() || t.failureLimit() > 1).ifPresent(iv -> how.add("every " + d(iv)));
                if (t.failureLimit() > 1) {
                    how.add(t.failureLimit() + " samples in a row");
                }
                out.add("  - " + t.name() + ": " + flat(t.condition()) + (how.isEmpty() ? "" : " (" + String.join(", ", how) + ")"));
                out.add("      then " + t.action() + ": " + flat(t.effect()));
            }
        }
        var e = plan.estimate();
        out.add("");
        out.add("estimate: ~" + d(e.wall()) + " wall clock; " + d(e.perHost()) + " per host"
                + (e.bufferPerHost().isZero() ? "" : " + " + d(e.bufferPerHost()) + " buffer") + ", " + d(e.work()) + " of work in all");
        return out;
    }

    /** The plan as one JSON-ready map: runbook, hosts, batches (host names), steps, estimate (seconds). */
    static Map<String, Object> json(Plan plan) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "plan");
        m.put("runbook", plan.runbook());
        m.put("hosts", plan.hostCount());
        List<Object> batches = new ArrayList<>();
        plan.batches().forEach(b -> batches.add(Map.of("batch", b.index(), "hosts", b.names())));
        m.put("batches", batches);
        List<Object> steps = new ArrayList<>();
        for (PlannedStep s : plan.steps()) {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("id", s.id());
            step.put("title", s.title());
            step.put("stepType", s.type());
            step.put("summary", s.summary());
            step.put("conditional", s.conditional());
            step.put("onController", s.onController());
            step.put("sudo", s.sudo());
            step.put("estimateSeconds", s.estimate().toSeconds());
            steps.add(step);
        }
        m.put("steps", steps);
        List<Object> triggers = new ArrayList<>();
        for (PlannedTrigger t : plan.triggers()) {
            Map<String, Object> tm = new LinkedHashMap<>();
            tm.put("name", t.name());
            tm.put("condition", t.condition());
            tm.put("forSeconds", t.forDuration().map(Duration::toSeconds).orElse(0L));
            tm.put("intervalSeconds", t.interval().map(Duration::toSeconds).orElse(0L));
            tm.put("failureLimit", t.failureLimit());
            tm.put("action", t.action());
            tm.put("effect", t.effect());
            triggers.add(tm);
        }
        m.put("triggers", triggers);
        var e = plan.estimate();
        Map<String, Object> est = new LinkedHashMap<>();
        est.put("perHostSeconds", e.perHost().toSeconds());
        est.put("bufferPerHostSeconds", e.bufferPerHost().toSeconds());
        est.put("workSeconds", e.work().toSeconds());
        est.put("wallSeconds", e.wall().toSeconds());
        est.put("batchWallSeconds", e.batchWall().stream().map(Duration::toSeconds).toList());
        m.put("estimate", est);
        return m;
    }

    private static String d(Duration x) {
        return Durations.format(Duration.ofSeconds(Math.max(0, x.toSeconds())));
    }

    private static String flat(String s) {
        return s.replace('\n', ' ').strip();
    }

    private static String oneLine(String s) {
        return OneLine.of(s, 70);
    }
}
