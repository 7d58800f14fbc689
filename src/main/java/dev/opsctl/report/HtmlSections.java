package dev.opsctl.report;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The tables of the HTML report: final host states, hosts x steps, gates, triggers, rollbacks, notices, params. */
final class HtmlSections {
    private HtmlSections() {}

    static void hosts(StringBuilder b, RunReport r) {
        b.append("<section><h2>Final state of every host</h2>\n<table class=\"hosts\"><thead><tr><th>Host</th><th>Address</th>"
                + "<th>Final state</th><th>Steps done</th><th>Message</th></tr></thead><tbody>\n");
        for (HostReport h : r.hosts()) {
            long done = h.steps().stream().filter(s -> !s.rollback() && s.succeeded()).count();
            b.append("<tr data-host=\"").append(Html.esc(h.name())).append("\" data-state=\"").append(Html.cls(h.state()))
                    .append("\"><td><strong>").append(Html.esc(h.name())).append("</strong></td><td>").append(Html.esc(h.address()))
                    .append("</td><td>").append(Html.badge(h.state())).append("</td><td>").append(done).append(" / ")
                    .append(r.stepIds().size()).append("</td><td class=\"msg\">").append(Html.esc(h.message())).append("</td></tr>\n");
        }
        b.append("</tbody></table></section>\n");
    }

    /** Steps as rows (runbooks have more steps than a screen has columns), hosts as columns; rollback steps last. */
    static void matrix(StringBuilder b, RunReport r) {
        List<String> rollbackIds = new ArrayList<>();
        r.hosts().forEach(h -> h.rollbackSteps().forEach(s -> {
            if (!rollbackIds.contains(s.step())) {
                rollbackIds.add(s.step());
            }
        }));
        b.append("<section><h2>Hosts × steps</h2>\n<div class=\"scroll\"><table class=\"matrix\"><thead><tr><th>Step</th>");
        r.hosts().forEach(h -> b.append("<th>").append(Html.esc(h.name())).append("</th>"));
        b.append("</tr></thead><tbody>\n");
        for (String id : r.stepIds()) {
            b.append("<tr><th scope=\"row\">").append(Html.esc(id)).append("</th>");
            r.hosts().forEach(h -> cell(b, h.last(id)));
            b.append("</tr>\n");
        }
        for (String id : rollbackIds) {
            b.append("<tr class=\"rb\"><th scope=\"row\">↺ rollback: ").append(Html.esc(id)).append("</th>");
            r.hosts().forEach(h -> cell(b, h.rollbackSteps().stream().filter(s -> s.step().equals(id)).reduce((x, y) -> y)));
            b.append("</tr>\n");
        }
        b.append("</tbody></table></div></section>\n");
    }

    private static void cell(StringBuilder b, Optional<StepReport> step) {
        if (step.isEmpty()) {
            b.append("<td class=\"cell muted\">–</td>");
            return;
        }
        StepReport s = step.get();
        b.append("<td class=\"cell\" title=\"").append(Html.esc(s.message())).append("\">").append(Html.outcome(s.outcome()))
                .append("<span class=\"sub\">").append(Html.esc(ReportTimes.elapsed(s.elapsedMs())))
                .append(s.attempts() > 1 ? " · " + s.attempts() + " attempts" : "").append(s.ignored() ? " · ignored" : "")
                .append("</span></td>");
    }

    static void gates(StringBuilder b, RunReport r, ZoneId zone) {
        if (r.gates().isEmpty()) {
            return;
        }
        b.append("<section class=\"gates\"><h2>Gate answers</h2>\n");
        for (GateReport g : r.gates()) {
            b.append("<h3>").append(Html.outcome(g.passed() ? "passed" : "failed")).append(' ').append(Html.esc(g.checklist()))
                    .append(" <span class=\"muted\">").append(Html.esc(g.phase())).append(g.host().isEmpty() ? ", whole run" : ", host "
                            + Html.esc(g.host())).append(", ").append(ReportTimes.clock(g.time(), zone)).append("</span></h3>\n")
                    .append("<table><thead><tr><th>Item</th><th>Answer</th><th>Who</th><th>When</th><th>Note</th><th>Evidence</th>"
                            + "</tr></thead><tbody>\n");
            for (GateAnswer a : g.answers()) {
                b.append("<tr class=\"answer\"><td>").append(Html.esc(a.item())).append("</td><td>")
                        .append(Html.label(a.passed() ? "passed" : "failed", a.status()))
                        .append("</td><td>").append(Html.esc(a.operator())).append("</td><td>")
                        .append(Html.esc(ReportTimes.clock(a.time(), zone))).append("</td><td>").append(Html.esc(a.note()))
                        .append("</td><td>").append(evidence(a.evidence())).append("</td></tr>\n");
            }
            b.append("</tbody></table>\n");
        }
        b.append("</section>\n");
    }

    static void triggers(StringBuilder b, RunReport r, ZoneId zone) {
        if (r.triggers().isEmpty()) {
            return;
        }
        b.append("<section class=\"triggers\"><h2>Triggers fired</h2>\n<table><thead><tr><th>When</th><th>Host</th><th>Trigger</th>"
                + "<th>Action</th><th>Evidence</th></tr></thead><tbody>\n");
        for (TriggerReport t : r.triggers()) {
            b.append("<tr><td>").append(ReportTimes.clock(t.time(), zone)).append("</td><td>").append(Html.esc(t.host()))
                    .append("</td><td><strong>").append(Html.esc(t.trigger())).append("</strong></td><td>").append(Html.esc(t.action()))
                    .append(t.dryRun() ? " <span class=\"muted\">(dry run: not acted on)</span>" : "")
                    .append("</td><td>").append(evidence(t.evidence()))
                    .append(t.values().isEmpty() ? "" : "<span class=\"muted\">values: " + Html.esc(t.valuesLine()) + "</span>")
                    .append("</td></tr>\n");
        }
        b.append("</tbody></table></section>\n");
    }

    static void rollbacks(StringBuilder b, RunReport r, ZoneId zone) {
        if (r.rollbacks().isEmpty()) {
            return;
        }
        b.append("<section class=\"rollbacks\"><h2>Rollbacks</h2>\n<table><thead><tr><th>Host</th><th>Started</th><th>Finished</th>"
                + "<th>Reason</th><th>Result</th><th>Steps</th><th>Message</th></tr></thead><tbody>\n");
        for (RollbackReport rb : r.rollbacks()) {
            String steps = r.host(rb.host()).map(h -> String.join(", ", h.rollbackSteps().stream()
                    .map(s -> s.step() + " " + Outcomes.symbol(s.outcome())).toList())).orElse("");
            b.append("<tr><td><strong>").append(Html.esc(rb.host())).append("</strong></td><td>")
                    .append(ReportTimes.clock(rb.started(), zone)).append("</td><td>")
                    .append(rb.finished().map(t -> ReportTimes.clock(t, zone)).orElse("—")).append("</td><td>")
                    .append(Html.esc(rb.reason())).append("</td><td>")
                    .append(rb.succeeded().map(ok -> ok ? Html.label("ok", "succeeded") : Html.label("failed", "failed"))
                            .orElse(Html.label("interrupted", "did not finish")))
                    .append("</td><td>").append(Html.esc(steps)).append("</td><td class=\"msg\">").append(Html.esc(rb.message()))
                    .append("</td></tr>\n");
        }
        b.append("</tbody></table></section>\n");
    }

    static void notices(StringBuilder b, RunReport r, ZoneId zone) {
        List<NoticeReport> shown = r.notices().stream().filter(n -> !n.level().equals("info")).toList();
        if (shown.isEmpty()) {
            return;
        }
        b.append("<section class=\"notices\"><h2>Notices</h2>\n<table><tbody>\n");
        for (NoticeReport n : shown) {
            b.append("<tr><td>").append(ReportTimes.clock(n.time(), zone)).append("</td><td>").append(Html.esc(n.level()))
                    .append("</td><td>").append(Html.esc(n.host())).append("</td><td class=\"msg\">").append(Html.esc(n.message()))
                    .append("</td></tr>\n");
        }
        b.append("</tbody></table></section>\n");
    }

    static void params(StringBuilder b, RunReport r) {
        b.append("<section class=\"params\"><h2>Params</h2>\n");
        if (r.params().isEmpty()) {
            b.append("<p class=\"muted\">none</p></section>\n");
            return;
        }
        b.append("<table><tbody>\n");
        r.params().forEach((k, v) -> b.append("<tr><th scope=\"row\"><code>").append(Html.esc(k)).append("</code></th><td><code>")
                .append(Html.esc(v)).append("</code></td></tr>\n"));
        b.append("</tbody></table></section>\n");
    }

    private static String evidence(String text) {
        return text.isBlank() ? "" : "<pre class=\"evidence\">" + Html.esc(text) + "</pre>";
    }
}
