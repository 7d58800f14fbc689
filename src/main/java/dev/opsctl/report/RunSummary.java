package dev.opsctl.report;

import dev.opsctl.event.RunEvent.RunFinished;
import dev.opsctl.source.TerminalText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The last lines of a run: its outcome, hosts by final status, elapsed time, the id to look it up
 * by, and what the exit code means.
 * <pre>
 * run 20261122-0201-userns-remap halted after 4m12s
 *   hosts: 2 ok, 1 failed, 0 unreachable, 1 rolled_back
 *   exit 1: a step failed and the run halted
 * </pre>
 */
final class RunSummary {
    private RunSummary() {}

    static List<String> lines(RunFinished f, Ansi ansi) {
        Map<String, Integer> counts = new TreeMap<>();
        counts.put("ok", 0);
        counts.put("failed", 0);
        counts.put("unreachable", 0);
        f.hosts().values().forEach(s -> counts.merge(s, 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        for (String s : List.of("ok", "failed", "unreachable")) {
            parts.add(counts.remove(s) + " " + s);
        }
        counts.forEach((s, n) -> parts.add(n + " " + s));
        List<String> out = new ArrayList<>();
        out.add(ansi.bold("run " + f.runId()) + " " + ansi.status(f.status()) + " after " + Elapsed.format(f.elapsedMs())
                + (f.message() == null || f.message().isBlank() ? "" : ": " + TerminalText.visible(f.message().strip())));
        out.add("  hosts: " + String.join(", ", parts));
        out.add("  exit " + f.exitCode() + ": " + ExitMeanings.of(f.exitCode()));
        if (f.exitCode() != 0) {
            out.add("  details: opsctl runs show " + f.runId());
        }
        return out;
    }
}
