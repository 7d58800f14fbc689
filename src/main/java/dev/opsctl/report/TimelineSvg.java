package dev.opsctl.report;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

/**
 * The run's timeline as inline SVG: one row per host, time left to right, one bar per finished step
 * coloured by outcome (rollback steps hatched), gate diamonds, trigger triangles and rollback
 * brackets. Every mark carries a {@code <title>} tooltip and the legend names every colour and shape.
 */
final class TimelineSvg {
    static final int WIDTH = 1200;
    private static final int LABEL = 200;
    private static final int RIGHT = 28;
    private static final int TOP = 40;
    private static final int ROW = 58;
    private static final int LEGEND = 34;
    private static final long[] TICKS = {100, 250, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000,
        600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000};

    private final RunReport r;
    private final ZoneId zone;
    private final Instant t0;
    private final long span;
    private final StringBuilder b = new StringBuilder();

    private TimelineSvg(RunReport r, ZoneId zone) {
        this.r = r;
        this.zone = zone;
        this.t0 = r.started();
        this.span = Math.max(1_000, r.end().toEpochMilli() - t0.toEpochMilli());
    }

    static String render(RunReport r, ZoneId zone) {
        return new TimelineSvg(r, zone).svg();
    }

    private String svg() {
        int height = TOP + ROW * Math.max(1, r.hosts().size()) + LEGEND;
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(height).append("\" role=\"img\" aria-labelledby=\"tl-title tl-desc\">\n")
                .append("<title id=\"tl-title\">Timeline of run ").append(Html.esc(r.runId())).append("</title>\n")
                .append("<desc id=\"tl-desc\">One row per host, time from left to right; each bar is a step, coloured and "
                        + "labelled by outcome. The hosts by steps table below holds the same data as text.</desc>\n")
                .append("<defs><pattern id=\"hatch\" patternUnits=\"userSpaceOnUse\" width=\"7\" height=\"7\" "
                        + "patternTransform=\"rotate(45)\"><rect width=\"3\" height=\"7\" fill=\"#ffffff\" fill-opacity=\"0.55\"/>"
                        + "</pattern></defs>\n");
        axis(height - LEGEND);
        for (int i = 0; i < r.hosts().size(); i++) {
            row(r.hosts().get(i), TOP + i * ROW, i);
        }
        for (GateReport g : r.gates()) {
            if (g.host().isEmpty() || r.host(g.host()).isEmpty()) {
                runGate(g, height - LEGEND);
            }
        }
        legend(height - LEGEND + 18);
        b.append("</svg>\n");
        return b.toString();
    }

    private double x(Instant t) {
        long ms = Math.max(0, Math.min(span, t.toEpochMilli() - t0.toEpochMilli()));
        return LABEL + (WIDTH - LABEL - RIGHT) * (double) ms / span;
    }

    private void axis(int bottom) {
        long step = TICKS[TICKS.length - 1];
        for (long t : TICKS) {
            if (span / t <= 8) {
                step = t;
                break;
            }
        }
        for (long at = 0; at <= span; at += step) {
            double x = x(t0.plusMillis(at));
            String label = step < 1_000 ? "+" + String.format(Locale.ROOT, "%.1fs", at / 1000.0)
                    : ReportTimes.clock(t0.plusMillis(at), zone);
            b.append("<line class=\"grid\" x1=\"").append(f(x)).append("\" y1=\"").append(TOP - 6).append("\" x2=\"").append(f(x))
                    .append("\" y2=\"").append(bottom).append("\"/>")
                    .append("<text class=\"tick\" x=\"").append(f(x)).append("\" y=\"").append(TOP - 12)
                    .append("\" text-anchor=\"middle\">").append(label).append("</text>\n");
        }
    }

    private void row(HostReport h, int top, int index) {
        b.append("<g class=\"host-row\" data-host=\"").append(Html.esc(h.name())).append("\">\n");
        if (index % 2 == 1) {
            b.append("<rect class=\"row-bg\" x=\"0\" y=\"").append(top).append("\" width=\"").append(WIDTH)
                    .append("\" height=\"").append(ROW).append("\"/>\n");
        }
        String name = h.name().length() > 26 ? h.name().substring(0, 25) + "…" : h.name();
        b.append("<text class=\"host-name\" x=\"12\" y=\"").append(top + 24).append("\">").append(Html.esc(name))
                .append("<title>").append(Html.esc(h.name() + " " + h.address())).append("</title></text>\n")
                .append("<text class=\"host-state\" x=\"12\" y=\"").append(top + 42).append("\" fill=\"")
                .append(Outcomes.stateColour(h.state())).append("\">").append(Outcomes.symbol(h.state())).append(' ')
                .append(Html.esc(Outcomes.words(h.state()))).append("</text>\n");
        for (StepReport s : h.steps()) {
            step(h, s, top + 16);
        }
        if (h.steps().isEmpty()) {
            b.append("<text class=\"empty-row\" x=\"").append(LABEL + 8).append("\" y=\"").append(top + 32).append("\">")
                    .append(Html.esc(h.state().equals(HostReport.NOT_STARTED) ? "not started" : "no step finished: " + h.message()))
                    .append("</text>\n");
        }
        for (RollbackReport rb : r.rollbacksOf(h.name())) {
            rollback(rb, top + ROW - 6);
        }
        for (GateReport g : r.gatesOf(h.name())) {
            gate(g, x(g.time()), top + 9);
        }
        for (TriggerReport t : r.triggersOf(h.name())) {
            trigger(t, x(t.time()), top + 2);
        }
        b.append("</g>\n");
    }

    private void step(HostReport h, StepReport s, int y) {
        double x1 = x(s.started());
        double w = Math.max(4, x(s.finished()) - x1);
        String colour = Outcomes.colour(s.outcome());
        String tip = (s.rollback() ? "rollback step " : "step ") + s.step() + " on " + h.name() + ": " + Outcomes.words(s.outcome())
                + (s.ignored() ? " (ignored)" : "") + ", " + ReportTimes.elapsed(s.elapsedMs())
                + (s.attempts() > 1 ? ", " + s.attempts() + " attempts" : "") + (s.message().isBlank() ? "" : "\n" + s.message());
        b.append("<g class=\"mark\"><rect class=\"step").append(s.rollback() ? " rollback" : "").append("\" data-outcome=\"")
                .append(Html.cls(s.outcome())).append("\" data-step=\"").append(Html.esc(s.step())).append("\" x=\"").append(f(x1))
                .append("\" y=\"").append(y).append("\" width=\"").append(f(w)).append("\" height=\"24\" rx=\"3\" fill=\"")
                .append(colour).append("\"><title>").append(Html.esc(tip)).append("</title></rect>");
        if (s.rollback()) {
            b.append("<rect class=\"hatch\" x=\"").append(f(x1)).append("\" y=\"").append(y).append("\" width=\"").append(f(w))
                    .append("\" height=\"24\" rx=\"3\" fill=\"url(#hatch)\"/>");
        }
        String label = (s.rollback() ? "↺ " : "") + s.step();
        if (w >= label.length() * 6.6 + 10) {
            b.append("<text class=\"bar-label\" x=\"").append(f(x1 + 5)).append("\" y=\"").append(y + 16).append("\">")
                    .append(Html.esc(label)).append("</text>");
        } else if (w >= 14) {
            b.append("<text class=\"bar-label\" x=\"").append(f(x1 + w / 2)).append("\" y=\"").append(y + 16)
                    .append("\" text-anchor=\"middle\">").append(Outcomes.symbol(s.outcome())).append("</text>");
        }
        b.append("</g>\n");
    }

    private void rollback(RollbackReport rb, int y) {
        double x1 = x(rb.started());
        double x2 = Math.max(x1 + 4, x(rb.finished().orElse(r.end())));
        String how = rb.succeeded().map(ok -> ok ? "succeeded" : "FAILED").orElse("did not finish");
        b.append("<g class=\"mark\"><path class=\"rollback-span\" d=\"M").append(f(x1)).append(' ').append(y - 4).append(" V")
                .append(y).append(" H").append(f(x2)).append(" V").append(y - 4).append("\" stroke=\"")
                .append(rb.succeeded().orElse(false) ? Outcomes.BLUE : Outcomes.RED).append("\"><title>")
                .append(Html.esc("rollback on " + rb.host() + ": " + how + (rb.reason().isBlank() ? "" : "\nreason: " + rb.reason())
                        + (rb.message().isBlank() ? "" : "\n" + rb.message())))
                .append("</title></path></g>\n");
    }

    private void gate(GateReport g, double x, int y) {
        b.append("<g class=\"mark\"><path class=\"gate\" data-passed=\"").append(g.passed()).append("\" d=\"M").append(f(x))
                .append(' ').append(y - 7).append(" l6 7 l-6 7 l-6 -7 z\" fill=\"").append(g.passed() ? Outcomes.GREEN : Outcomes.RED)
                .append("\"><title>").append(Html.esc(gateTip(g))).append("</title></path></g>\n");
    }

    private void runGate(GateReport g, int bottom) {
        double x = x(g.time());
        b.append("<line class=\"gate-line\" x1=\"").append(f(x)).append("\" y1=\"").append(TOP).append("\" x2=\"").append(f(x))
                .append("\" y2=\"").append(bottom).append("\"/>\n");
        gate(g, x, TOP + 1);
    }

    private static String gateTip(GateReport g) {
        StringBuilder t = new StringBuilder("gate " + g.checklist() + " (" + g.phase() + ")" + (g.host().isEmpty() ? "" : " on " + g.host())
                + ": " + (g.passed() ? "passed" : "NOT passed"));
        for (GateAnswer a : g.answers()) {
            t.append("\n").append(a.passed() ? "✓ " : "✗ ").append(a.item()).append(": ").append(a.status())
                    .append(a.operator().isBlank() ? "" : " by " + a.operator());
        }
        return t.toString();
    }

    private void trigger(TriggerReport t, double x, int y) {
        b.append("<g class=\"mark\"><path class=\"trigger\" d=\"M").append(f(x - 7)).append(' ').append(y).append(" h14 l-7 12 z\" fill=\"")
                .append(t.dryRun() ? "#ffffff\" stroke=\"" + Outcomes.RED : Outcomes.RED).append("\"><title>")
                .append(Html.esc("trigger " + t.trigger() + " fired on " + t.host() + " → " + t.action()
                        + (t.dryRun() ? " (dry run: not acted on)" : "") + (t.evidence().isBlank() ? "" : "\n" + t.evidence())
                        + (t.values().isEmpty() ? "" : "\n" + t.valuesLine())))
                .append("</title></path>");
        b.append("<text class=\"trigger-label\" x=\"").append(f(x - 10)).append("\" y=\"").append(y + 10)
                .append("\" text-anchor=\"end\">").append(Html.esc(t.trigger())).append("</text></g>\n");
    }

    private void legend(int y) {
        List<String[]> items = List.of(new String[] {"ok", "ok / changed"}, new String[] {"skipped", "skipped"},
                new String[] {"failed", "failed"}, new String[] {"timed_out", "timed out"},
                new String[] {"unreachable", "unreachable / connection lost"}, new String[] {"interrupted", "interrupted"});
        double x = 12;
        b.append("<g class=\"legend\">");
        for (String[] it : items) {
            b.append("<rect x=\"").append(f(x)).append("\" y=\"").append(y - 11).append("\" width=\"16\" height=\"14\" rx=\"2\" fill=\"")
                    .append(Outcomes.colour(it[0])).append("\"/><text x=\"").append(f(x + 22)).append("\" y=\"").append(y)
                    .append("\">").append(it[1]).append("</text>");
            x += 34 + it[1].length() * 7;
        }
        b.append("<rect x=\"").append(f(x)).append("\" y=\"").append(y - 11).append("\" width=\"16\" height=\"14\" rx=\"2\" fill=\"")
                .append(Outcomes.GREEN).append("\"/><rect x=\"").append(f(x)).append("\" y=\"").append(y - 11)
                .append("\" width=\"16\" height=\"14\" rx=\"2\" fill=\"url(#hatch)\"/><text x=\"").append(f(x + 22)).append("\" y=\"")
                .append(y).append("\">rollback step</text>");
        x += 34 + 13 * 7;
        b.append("<path d=\"M").append(f(x + 6)).append(' ').append(y - 11).append(" l6 7 l-6 7 l-6 -7 z\" fill=\"").append(Outcomes.GREEN)
                .append("\"/><text x=\"").append(f(x + 18)).append("\" y=\"").append(y).append("\">gate (red: not passed)</text>");
        x += 30 + 22 * 7;
        b.append("<path d=\"M").append(f(x)).append(' ').append(y - 10).append(" h14 l-7 12 z\" fill=\"").append(Outcomes.RED)
                .append("\"/><text x=\"").append(f(x + 20)).append("\" y=\"").append(y).append("\">trigger fired</text>");
        x += 34 + 13 * 7;
        b.append("<path class=\"rollback-span\" d=\"M").append(f(x)).append(' ').append(y - 8).append(" V").append(y - 2)
                .append(" H").append(f(x + 24)).append(" V").append(y - 8).append("\" stroke=\"").append(Outcomes.BLUE)
                .append("\"/><text x=\"").append(f(x + 30)).append("\" y=\"").append(y).append("\">rollback</text>");
        b.append("</g>\n");
    }

    /**
     * {@code String.format(Locale.ROOT, "%.1f", v)}, which a report calls thousands of times: the
     * Formatter was a third of a 100-step run's report time. Same digits (both round the shortest
     * decimal form half up); the scientific forms fall back to the Formatter.
     */
    static String f(double v) {
        String s = Double.toString(Math.abs(v));
        int dot = s.indexOf('.');
        if (s.indexOf('E') >= 0 || dot < 0 || Double.isNaN(v)) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        String sign = v < 0 || (v == 0 && 1 / v < 0) ? "-" : "";
        if (s.length() <= dot + 2) {
            return sign + s;
        }
        if (s.charAt(dot + 2) < '5') {
            return sign + s.substring(0, dot + 2);
        }
        char[] d = (s.substring(0, dot) + s.charAt(dot + 1)).toCharArray();
        int i = d.length - 1;
        while (i >= 0 && d[i] == '9') {
            d[i--] = '0';
        }
        String digits = i < 0 ? "1" + new String(d) : new String(d);
        if (i >= 0) {
            digits = digits.substring(0, i) + (char) (d[i] + 1) + digits.substring(i + 1);
        }
        return sign + digits.substring(0, digits.length() - 1) + "." + digits.charAt(digits.length() - 1);
    }
}
