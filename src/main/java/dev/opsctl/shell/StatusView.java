package dev.opsctl.shell;

import dev.opsctl.app.RunSummary;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code status} built-in: the run this shell started last (how it ended, or that it is still going),
 * then the most recent runs in the state directory with id, runbook, status, start and hosts.
 */
final class StatusView {
    static final int RECENT = 10;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private StatusView() {}

    static List<String> lines(Optional<String> sessionRun, List<RunSummary> runs, ZoneId zone) {
        List<String> out = new ArrayList<>();
        Optional<RunSummary> mine = sessionRun.flatMap(id -> runs.stream().filter(r -> r.runId().equals(id)).findFirst());
        if (mine.isPresent()) {
            RunSummary r = mine.get();
            out.add("this shell's run: " + r.runId() + "  " + r.runbook() + "  " + r.status() + "  started "
                    + WHEN.format(r.started().atZone(zone)) + "  hosts " + hosts(r.hosts()));
            if (!r.status().equals("running") && !r.status().equals("ok")) {
                out.add("  next: 'runs show " + r.runId() + "' for the steps; 'runs resume " + r.runId() + "' to continue it");
            }
        } else {
            out.add("this shell's run: none started in this session");
        }
        long running = runs.stream().filter(r -> r.status().equals("running")).count();
        if (running > 0) {
            out.add("running now: " + running + (running == 1 ? " run" : " runs") + " (marked below)");
        }
        if (runs.isEmpty()) {
            out.add("recent runs: none in the state directory");
            return out;
        }
        List<RunSummary> recent = runs.subList(0, Math.min(RECENT, runs.size()));
        out.add("recent runs (newest first, " + recent.size() + " of " + runs.size() + "):");
        int id = Math.max(2, recent.stream().mapToInt(r -> r.runId().length()).max().orElse(2));
        int rb = Math.max(7, recent.stream().mapToInt(r -> r.runbook().length()).max().orElse(7));
        String fmt = "%s %-" + id + "s  %-" + rb + "s  %-12s  %-19s  %s";
        out.add(String.format(fmt, " ", "ID", "RUNBOOK", "STATUS", "STARTED", "HOSTS"));
        for (RunSummary r : recent) {
            String mark = r.status().equals("running") ? "*" : " ";
            out.add(String.format(fmt, mark, r.runId(), r.runbook(), r.status(), WHEN.format(r.started().atZone(zone)), hosts(r.hosts())));
        }
        return out;
    }

    private static String hosts(List<String> hosts) {
        if (hosts.size() <= 3) {
            return String.join(",", hosts);
        }
        return String.join(",", hosts.subList(0, 3)) + " +" + (hosts.size() - 3) + " more";
    }
}
