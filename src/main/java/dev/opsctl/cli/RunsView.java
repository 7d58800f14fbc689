package dev.opsctl.cli;

import dev.opsctl.app.RunSummary;
import dev.opsctl.engine.journal.HostState;
import dev.opsctl.engine.journal.RunState;
import dev.opsctl.engine.journal.StepRecord;
import dev.opsctl.source.Durations;
import dev.opsctl.source.TerminalText;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code runs list} and {@code runs show} as text tables or JSON-ready maps. Params come from the journal, already masked. */
final class RunsView {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private RunsView() {}

    static List<String> list(List<RunSummary> runs, ZoneId zone) {
        List<String> out = new ArrayList<>();
        int id = Math.max(2, runs.stream().mapToInt(r -> r.runId().length()).max().orElse(2));
        int rb = Math.max(7, runs.stream().mapToInt(r -> r.runbook().length()).max().orElse(7));
        String fmt = "%-" + id + "s  %-" + rb + "s  %-15s  %-19s  %-10s  %s";
        out.add(String.format(fmt, "ID", "RUNBOOK", "STATUS", "STARTED", "OPERATOR", "HOSTS"));
        for (RunSummary r : runs) {
            out.add(String.format(fmt, r.runId(), r.runbook(), r.status(), WHEN.format(r.started().atZone(zone)), r.operator(),
                    hosts(r.hosts())));
        }
        return out;
    }

    static Map<String, Object> json(RunSummary r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runId", r.runId());
        m.put("runbook", r.runbook());
        m.put("status", r.status());
        m.put("started", r.started().toString());
        m.put("operator", r.operator());
        m.put("hosts", r.hosts());
        return m;
    }

    static List<String> show(RunState s, ZoneId zone) {
        List<String> out = new ArrayList<>();
        var h = s.header();
        out.add("run " + s.runId() + ": " + s.status().orElse("not finished") + s.exitCode().map(c -> " (exit " + c + ")").orElse(""));
        out.add("  runbook:  " + h.runbook() + " (" + h.runbookFile() + ")");
        out.add("  started:  " + WHEN.format(h.started().atZone(zone)) + " by " + h.operator() + " on " + h.controller());
        s.finished().ifPresent(f -> out.add("  finished: " + WHEN.format(f.atZone(zone))));
        if (!s.resumes().isEmpty()) {
            out.add("  resumed:  " + s.resumes().size() + (s.resumes().size() == 1 ? " time" : " times"));
        }
        h.inventory().ifPresent(i -> out.add("  inventory: " + i + (h.limit().isEmpty() ? "" : " (limit " + String.join(", ", h.limit()) + ")")));
        if (!h.params().isEmpty()) {
            out.add("  params:   " + String.join(", ", h.params().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
        }
        if (s.tornTail()) {
            out.add("  note: the journal's last line was cut short (the process died while writing) and was ignored");
        }
        for (HostState host : s.hosts().values()) {
            out.add("");
            out.add("host " + host.host() + ": " + host.status().orElse("not finished")
                    + host.interruptedStep().map(st -> " (interrupted in " + (host.rollbackCutShort().filter(st::equals).isPresent()
                            ? "rollback step '" : "step '") + st + "')").orElse(""));
            int w = host.steps().keySet().stream().mapToInt(String::length).max().orElse(4);
            for (StepRecord r : host.steps().values()) {
                out.add(String.format("  %-" + w + "s  %-11s rc=%-3d %7s  %s", r.step(), r.outcome() + (r.ignored() ? "*" : ""), r.rc(),
                        elapsed(r.elapsedMs()), TerminalText.visible(firstLine(r.message()))));
            }
        }
        return out;
    }

    static Map<String, Object> showJson(RunState s) {
        Map<String, Object> m = new LinkedHashMap<>();
        var h = s.header();
        m.put("runId", s.runId());
        m.put("runbook", h.runbook());
        m.put("runbookFile", h.runbookFile());
        m.put("status", s.status().orElse(null));
        m.put("exitCode", s.exitCode().orElse(null));
        m.put("started", h.started().toString());
        m.put("finished", s.finished().map(Object::toString).orElse(null));
        m.put("operator", h.operator());
        m.put("params", h.params());
        Map<String, Object> hosts = new LinkedHashMap<>();
        for (HostState host : s.hosts().values()) {
            Map<String, Object> hm = new LinkedHashMap<>();
            hm.put("status", host.status().orElse(null));
            hm.put("interruptedStep", host.interruptedStep().orElse(null));
            hm.put("rollbackCutShort", host.rollbackCutShort().orElse(null));
            Map<String, Object> steps = new LinkedHashMap<>();
            host.steps().forEach((id, r) -> {
                Map<String, Object> sm = new LinkedHashMap<>();
                sm.put("outcome", r.outcome());
                sm.put("rc", r.rc());
                sm.put("elapsedMs", r.elapsedMs());
                sm.put("message", r.message());
                sm.put("ignored", r.ignored());
                sm.put("result", r.result());
                steps.put(id, sm);
            });
            hm.put("steps", steps);
            hosts.put(host.host(), hm);
        }
        m.put("hosts", hosts);
        return m;
    }

    /** One step's full record on every host that ran it: outcome, message and the (capped) output. */
    static List<String> step(RunState s, String stepId) {
        List<String> out = new ArrayList<>();
        for (HostState host : s.hosts().values()) {
            StepRecord r = host.steps().get(stepId);
            if (r == null) {
                continue;
            }
            out.add("host " + host.host() + ": step '" + stepId + "' " + r.outcome() + " rc=" + r.rc() + " (" + elapsed(r.elapsedMs()) + ")");
            if (r.message() != null && !r.message().isBlank()) {
                out.add("  message: " + TerminalText.visible(r.message().strip()));
            }
            for (String stream : List.of("stdout", "stderr")) {
                Object text = r.result().get(stream);
                if (text != null && !text.toString().isEmpty()) {
                    out.add("  " + stream + ":");
                    text.toString().lines().forEach(l -> out.add("    " + l));
                }
            }
        }
        return out;
    }

    private static String hosts(List<String> hosts) {
        return hosts.size() <= 4 ? String.join(",", hosts) : String.join(",", hosts.subList(0, 3)) + ",... (" + hosts.size() + ")";
    }

    private static String elapsed(long ms) {
        return ms < 10_000 ? String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0) : Durations.format(Duration.ofSeconds(ms / 1000));
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.strip().lines().findFirst().orElse("");
    }
}
