package dev.opsctl.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Map;
import java.util.LinkedHashMap;

/**
 * The run report as one self-contained HTML page ({@code report.html}): inline CSS, an inline SVG
 * timeline, no scripts, fonts or links to fetch, so it opens offline and can be mailed as it is.
 * Every value from the journal is escaped. Stateless.
 */
public final class HtmlReport {
    private static final String CSS = css();

    private HtmlReport() {}

    public static String render(RunReport r, ZoneId zone) {
        String statusColour = Outcomes.stateColour(r.status());
        StringBuilder b = new StringBuilder(32 * 1024);
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n")
                .append("<title>").append(Html.esc(r.runbook() + " " + r.runId() + ": " + Outcomes.words(r.status()))).append("</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<main style=\"--status:").append(statusColour)
                .append("\">\n");
        header(b, r, zone);
        next(b, r);
        b.append("<section class=\"timeline-section\"><h2>Timeline</h2>\n").append(TimelineSvg.render(r, zone))
                .append("<p class=\"muted\">Hover a bar or a marker for details. Times are ").append(Html.esc(zone.getId()))
                .append(".</p></section>\n");
        HtmlSections.hosts(b, r);
        HtmlSections.matrix(b, r);
        HtmlSections.gates(b, r, zone);
        HtmlSections.triggers(b, r, zone);
        HtmlSections.rollbacks(b, r, zone);
        HtmlSections.notices(b, r, zone);
        HtmlSections.params(b, r);
        b.append("<footer>opsctl run report · built from <code>runs/").append(Html.esc(r.runId()))
                .append("/journal.jsonl</code> · secrets are shown masked, as the journal keeps them</footer>\n")
                .append("</main>\n</body>\n</html>\n");
        return b.toString();
    }

    private static void header(StringBuilder b, RunReport r, ZoneId zone) {
        b.append("<header class=\"summary\">\n<h1><span>").append(Html.esc(r.runbook())).append("</span> ")
                .append(Html.badge(r.status())).append(" <span class=\"runid\">run ").append(Html.esc(r.runId()))
                .append("</span></h1>\n<p class=\"status-line\"><strong>")
                .append(r.exitCode().map(c -> "exit " + c).orElse("no exit code")).append("</strong> — ")
                .append(Html.esc(r.exitMeaning())).append("</p>\n")
                .append(r.message().isBlank() ? "" : "<p class=\"status-message\">" + Html.esc(r.message()) + "</p>\n")
                .append("<dl class=\"facts\">\n");
        fact(b, "Duration", Html.esc(ReportTimes.elapsed(r.duration().toMillis())) + (r.finishedRun() ? "" : " so far"));
        fact(b, "Operator", Html.esc(r.operator()) + (r.controller().isBlank() ? "" : " <span class=\"muted\">on "
                + Html.esc(r.controller()) + "</span>"));
        fact(b, "Started", Html.esc(ReportTimes.full(r.started(), zone)));
        fact(b, "Finished", r.finished().map(t -> Html.esc(ReportTimes.full(t, zone))).orElse("not finished"));
        fact(b, "Hosts", Html.esc(hostCounts(r)));
        fact(b, "Runbook", "<code>" + Html.esc(r.runbookFile()) + "</code> <span class=\"muted\">sha256 "
                + Html.esc(MarkdownReport.shortDigest(r.digest())) + "</span>");
        if (!r.resumed().isEmpty()) {
            fact(b, "Resumed", r.resumed().size() + "×, last " + Html.esc(ReportTimes.full(r.resumed().get(r.resumed().size() - 1), zone)));
        }
        if (r.tornTail()) {
            fact(b, "Journal", "last record cut short (process died mid-write)");
        }
        b.append("</dl>\n</header>\n");
    }

    private static String hostCounts(RunReport r) {
        Map<String, Integer> n = new LinkedHashMap<>();
        r.hosts().forEach(h -> n.merge(Outcomes.words(h.state()), 1, Integer::sum));
        StringBuilder s = new StringBuilder().append(r.hosts().size()).append(": ");
        n.forEach((k, v) -> s.append(v).append(' ').append(k).append(", "));
        return s.substring(0, s.length() - 2);
    }

    private static void fact(StringBuilder b, String key, String html) {
        b.append("<div><dt>").append(key).append("</dt><dd>").append(html).append("</dd></div>\n");
    }

    private static void next(StringBuilder b, RunReport r) {
        b.append("<section class=\"next\"><h2>What to do next</h2>\n<ol>\n");
        for (NextSteps.Advice a : NextSteps.of(r)) {
            b.append("<li>").append(Html.esc(a.text()));
            a.command().ifPresent(c -> b.append("<code class=\"cmd\">").append(Html.esc(c)).append("</code>"));
            b.append("</li>\n");
        }
        b.append("</ol></section>\n");
    }

    private static String css() {
        try (InputStream in = HtmlReport.class.getResourceAsStream("report.css")) {
            if (in == null) {
                throw new IllegalStateException("report.css is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
