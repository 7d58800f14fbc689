package dev.opsctl.report;

import dev.opsctl.event.RunEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The in-place progress area of a live console: the current batch, then one line per host of it
 * with what runs there now and for how long. Holds state only; the renderer decides when to draw.
 * Not thread-safe (the renderer serialises access).
 */
final class LiveBoard {
    private static final class Row {
        String status = "waiting";
        String step = "";
        String summary = "";
        Instant since;
        int done;
        long elapsedMs = -1;
    }

    private final Ansi ansi;
    private final int width;
    private final Map<String, Row> rows = new LinkedHashMap<>();
    private String batch = "";
    private Instant runStart;
    private int hostsDone;
    private int drawn;

    LiveBoard(Ansi ansi, int width) {
        this.ansi = ansi;
        this.width = width;
    }

    void accept(RunEvent e) {
        if (e instanceof RunEvent.RunStarted s) {
            runStart = s.time();
        } else if (e instanceof RunEvent.BatchStarted b) {
            batch = "batch " + b.batch() + "/" + b.batches();
            rows.clear();
            b.hosts().forEach(h -> rows.put(h, new Row()));
        } else if (e instanceof RunEvent.HostStarted h) {
            Row r = row(h.host());
            r.status = "running";
            r.since = h.time();
        } else if (e instanceof RunEvent.StepStarted s) {
            Row r = row(s.host());
            r.status = "running";
            r.step = s.step() + (s.attempt() > 1 ? " (attempt " + s.attempt() + ")" : "");
            r.summary = s.summary() == null ? "" : s.summary();
            r.since = s.time();
        } else if (e instanceof RunEvent.StepFinished f) {
            Row r = row(f.host());
            r.done++;
            r.step = "";
            r.summary = "";
        } else if (e instanceof RunEvent.RollbackStarted rb) {
            Row r = row(rb.host());
            r.status = "rolling back";
            r.since = rb.time();
        } else if (e instanceof RunEvent.HostFinished h) {
            Row r = row(h.host());
            r.status = h.status();
            r.elapsedMs = r.since == null ? -1 : Duration.between(r.since, h.time()).toMillis();
            r.step = "";
            hostsDone++;
        }
    }

    /** What to print to replace the board drawn last time with the current one. */
    String redraw(Instant now) {
        StringBuilder s = new StringBuilder(clear());
        List<String> lines = lines(now);
        for (String line : lines) {
            s.append(line).append('\n');
        }
        drawn = lines.size();
        return s.toString();
    }

    /** Erases the board, leaving the cursor where it started, so a permanent line can be printed. */
    String clear() {
        String s = drawn == 0 ? "" : Ansi.up(drawn) + Ansi.CLEAR_TO_END;
        drawn = 0;
        return s;
    }

    private List<String> lines(Instant now) {
        List<String> out = new ArrayList<>();
        if (rows.isEmpty()) {
            return out;
        }
        String elapsed = runStart == null ? "" : "  elapsed " + Elapsed.format(Duration.between(runStart, now).toMillis());
        out.add(ansi.bold(batch) + "  " + hostsDone + " hosts done" + elapsed);
        int nameWidth = rows.keySet().stream().mapToInt(String::length).max().orElse(4);
        rows.forEach((host, r) -> out.add(fit(line(host, r, nameWidth, now))));
        return out;
    }

    private String line(String host, Row r, int nameWidth, Instant now) {
        String name = String.format("  %-" + nameWidth + "s  ", host);
        if (!r.step.isEmpty() && r.since != null) {
            String took = Elapsed.format(Duration.between(r.since, now).toMillis());
            return name + ansi.yellow("▶ " + r.step) + " " + took + (r.summary.isEmpty() ? "" : "  " + ansi.dim(r.summary));
        }
        String steps = r.done == 0 ? "" : "  " + r.done + (r.done == 1 ? " step" : " steps");
        String took = r.elapsedMs >= 0 ? " (" + Elapsed.format(r.elapsedMs) + ")" : "";
        return name + ansi.status(r.status) + steps + took;
    }

    /** Cuts a line to the terminal width so it never wraps (a wrapped line breaks the redraw). */
    private String fit(String line) {
        if (visibleLength(line) < width) {
            return line;
        }
        StringBuilder out = new StringBuilder();
        int visible = 0;
        boolean esc = false;
        for (char c : line.toCharArray()) {
            if (c == '\u001b') {
                esc = true;
            }
            if (esc || visible < width - 2) {
                out.append(c);
                visible += esc ? 0 : 1;
            }
            if (esc && c == 'm') {
                esc = false;
            }
        }
        return out + (ansi.enabled() ? "\u001b[0m" : "") + "…";
    }

    private static int visibleLength(String s) {
        return s.replaceAll("\u001b\\[[0-9;]*m", "").length();
    }

    private Row row(String host) {
        return rows.computeIfAbsent(host, h -> new Row());
    }
}
