package dev.opsctl.report;

import dev.opsctl.action.ActionType;
import dev.opsctl.param.Param;
import dev.opsctl.runbook.model.GatePhase;
import dev.opsctl.runbook.model.Runbook;
import dev.opsctl.runbook.model.Step;
import dev.opsctl.runbook.model.Strategy;
import dev.opsctl.runbook.model.Trigger;
import dev.opsctl.source.Durations;
import dev.opsctl.source.OneLine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code opsctl runbooks show}: a runbook as an operator reads it before running it: what it is,
 * where it runs, its parameters, steps, rollback, triggers, gates, and what each step type used does.
 * Secret defaults print masked (a {@link dev.opsctl.source.Secret} shows only its mask).
 */
public final class RunbookText {
    private RunbookText() {}

    public static List<String> lines(Runbook rb, String location) {
        List<String> out = new ArrayList<>();
        out.add(rb.name() + "  (" + location + ")");
        if (!rb.metadata().description().isBlank()) {
            out.add("  " + rb.metadata().description().strip());
        }
        out.add("");
        out.add("targets:  " + (rb.targets().isLocal() ? "local (this machine)" : String.join(", ", rb.targets().patterns())));
        out.add("strategy: " + strategy(rb.strategy()));
        params(rb.params(), out);
        steps("steps", rb.steps(), out);
        steps("rollback", rb.rollback(), out);
        triggers(rb.triggers(), out);
        gates(rb, out);
        types(rb, out);
        return out;
    }

    private static String strategy(Strategy s) {
        List<String> parts = new ArrayList<>();
        parts.add("serial " + String.join(", ", s.serial().stream().map(Object::toString).toList()));
        parts.add("max_failures " + s.maxFailures());
        if (s.continueOnFailure()) {
            parts.add("continue_on_failure");
        }
        s.window().ifPresent(w -> parts.add("window " + w));
        s.maxOutOfService().ifPresent(m -> parts.add("max_out_of_service " + m));
        return String.join(", ", parts);
    }

    private static void params(List<Param> params, List<String> out) {
        if (params.isEmpty()) {
            return;
        }
        out.add("");
        out.add("params:");
        int w = params.stream().mapToInt(p -> p.name().length()).max().orElse(4);
        for (Param p : params) {
            String value = p.defaultValue().map(v -> "default " + show(v)).orElse("required");
            String env = p.env().map(e -> " (or $" + e + ")").orElse("");
            String choices = p.choices().isEmpty() ? "" : " one of " + String.join("|", p.choices());
            out.add(String.format("  %-" + w + "s  %-8s  %s%s%s", p.name(), p.type().yamlName(), value, env, choices));
            if (p.description() != null && !p.description().isBlank()) {
                out.add(" ".repeat(w + 14) + oneLine(p.description()));
            }
        }
    }

    private static String show(Object v) {
        if (v instanceof Duration d) {
            return Durations.format(d);
        }
        if (v instanceof String s) {
            return "'" + s + "'";
        }
        return String.valueOf(v);
    }

    private static void steps(String title, List<Step> steps, List<String> out) {
        if (steps.isEmpty()) {
            return;
        }
        out.add("");
        out.add(title + ":");
        int w = steps.stream().mapToInt(s -> s.id().length()).max().orElse(4);
        int i = 1;
        for (Step s : steps) {
            List<String> flags = new ArrayList<>();
            s.when().ifPresent(c -> flags.add("when " + c));
            if (s.retries() > 0) {
                flags.add("retries " + s.retries());
            }
            s.timeout().ifPresent(t -> flags.add("timeout " + Durations.format(t)));
            if (s.sudo()) {
                flags.add("sudo");
            }
            if (s.ignoreErrors()) {
                flags.add("ignore_errors");
            }
            String extra = flags.isEmpty() ? "" : "  [" + String.join(", ", flags) + "]";
            out.add(String.format("  %2d. %-" + w + "s  %-8s %s%s", i++, s.id(), s.action().typeName(),
                    oneLine(s.action().summary()), extra));
        }
    }

    private static void triggers(List<Trigger> triggers, List<String> out) {
        if (triggers.isEmpty()) {
            return;
        }
        out.add("");
        out.add("triggers:");
        for (Trigger t : triggers) {
            String cond = t.onStep()
                    .map(f -> "step " + f.stepId().map(id -> "'" + id + "'").orElse("(any)") + " failed"
                            + f.failureClass().map(c -> " (" + c + ")").orElse(""))
                    .orElseGet(() -> "probe " + t.probe().map(p -> p.typeName() + " '" + oneLine(p.summary()) + "'").orElse("?")
                            + t.when().map(w -> " when " + w).orElse("")
                            + t.forDuration().map(d -> " for " + Durations.format(d)).orElse(""));
            out.add("  " + t.name() + ": " + cond + " -> " + t.then().yamlName());
        }
    }

    private static void gates(Runbook rb, List<String> out) {
        List<String> lines = new ArrayList<>();
        for (GatePhase phase : GatePhase.values()) {
            var refs = rb.gates().at(phase);
            if (!refs.isEmpty()) {
                lines.add("  " + phase.yamlName() + ": " + String.join(", ", refs.stream().map(r -> r.checklist()).toList()));
            }
        }
        if (!lines.isEmpty()) {
            out.add("");
            out.add("gates:");
            out.addAll(lines);
        }
    }

    private static void types(Runbook rb, List<String> out) {
        Map<String, ActionType<?>> used = new LinkedHashMap<>();
        Stream.concat(rb.steps().stream(), rb.rollback().stream()).forEach(s -> used.putIfAbsent(s.action().typeName(), s.action().type()));
        if (used.isEmpty()) {
            return;
        }
        out.add("");
        out.add("step types used:");
        used.forEach((name, type) -> out.add("  " + name + ": " + oneLine(type.description())));
    }

    private static String oneLine(String s) {
        return OneLine.of(s, 100);
    }
}
