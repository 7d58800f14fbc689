package dev.opsctl.report;

import java.time.ZoneId;
import java.util.List;

/**
 * The run report as Markdown ({@code report.md}): readable as plain text in a terminal, and as a
 * page in any Markdown viewer. Every value from the journal is escaped, so a message cannot open
 * HTML or break a table. Stateless.
 */
public final class MarkdownReport {
    private MarkdownReport() {}

    public static String render(RunReport r, ZoneId zone) {
        StringBuilder b = new StringBuilder();
        b.append("# Run ").append(esc(r.runId())).append(": ").append(esc(r.runbook())).append(" — ")
                .append(Outcomes.symbol(r.status())).append(' ').append(Outcomes.words(r.status()))
                .append(r.exitCode().map(c -> " (exit " + c + ")").orElse("")).append("\n\n");
        b.append("| | |\n|---|---|\n");
        row(b, "Status", "**" + esc(r.status()) + "**" + r.exitCode().map(c -> " — exit " + c).orElse("") + ": " + esc(r.exitMeaning()));
        if (!r.message().isBlank()) {
            row(b, "Message", esc(r.message()));
        }
        row(b, "Runbook", "`" + code(r.runbook()) + "` (" + esc(r.runbookFile()) + ", sha256 " + esc(shortDigest(r.digest())) + ")");
        row(b, "Operator", esc(r.operator()) + (r.controller().isBlank() ? "" : " on " + esc(r.controller())));
        r.inventory().ifPresent(i -> row(b, "Inventory", esc(i)));
        row(b, "Started", ReportTimes.full(r.started(), zone));
        for (var t : r.resumed()) {
            row(b, "Resumed", ReportTimes.full(t, zone));
        }
        row(b, "Finished", r.finished().map(t -> ReportTimes.full(t, zone)).orElse("not finished"));
        row(b, "Duration", ReportTimes.elapsed(r.duration().toMillis()));
        row(b, "Params", r.params().isEmpty() ? "none" : String.join(", ",
                r.params().entrySet().stream().map(e -> "`" + code(e.getKey()) + "=" + code(e.getValue()) + "`").toList()));
        if (r.tornTail()) {
            row(b, "Journal", "the last record was cut short (the process died while writing it) and is not shown");
        }
        b.append("\n## What to do next\n\n");
        for (NextSteps.Advice a : NextSteps.of(r)) {
            b.append("- ").append(esc(a.text())).append(a.command().map(c -> ": `" + code(c) + "`").orElse("")).append('\n');
        }
        hosts(b, r);
        steps(b, r);
        gates(b, r, zone);
        triggers(b, r, zone);
        rollbacks(b, r, zone);
        notices(b, r, zone);
        return b.toString();
    }

    private static void hosts(StringBuilder b, RunReport r) {
        b.append("\n## Hosts\n\n| Host | Address | Final state | Steps | Message |\n|---|---|---|---|---|\n");
        for (HostReport h : r.hosts()) {
            long done = h.steps().stream().filter(s -> !s.rollback() && s.succeeded()).count();
            b.append("| ").append(esc(h.name())).append(" | ").append(esc(h.address())).append(" | ")
                    .append(Outcomes.symbol(h.state())).append(' ').append(esc(h.state())).append(" | ")
                    .append(done).append('/').append(r.stepIds().size()).append(" | ").append(esc(h.message())).append(" |\n");
        }
    }

    private static void steps(StringBuilder b, RunReport r) {
        b.append("\n## Steps\n\n| Host | Step | Outcome | Attempts | Elapsed | Message |\n|---|---|---|---|---|---|\n");
        for (HostReport h : r.hosts()) {
            for (StepReport s : h.steps()) {
                b.append("| ").append(esc(h.name())).append(" | ").append(s.rollback() ? "rollback: " : "").append(esc(s.step()))
                        .append(" | ").append(Outcomes.symbol(s.outcome())).append(' ').append(esc(s.outcome()))
                        .append(s.ignored() ? " (ignored)" : "").append(" | ").append(s.attempts()).append(" | ")
                        .append(ReportTimes.elapsed(s.elapsedMs())).append(" | ").append(esc(s.message())).append(" |\n");
            }
        }
    }

    private static void gates(StringBuilder b, RunReport r, ZoneId zone) {
        if (r.gates().isEmpty()) {
            return;
        }
        b.append("\n## Gates\n");
        for (GateReport g : r.gates()) {
            b.append("\n### ").append(esc(g.phase())).append(": ").append(esc(g.checklist()))
                    .append(g.host().isEmpty() ? " (run)" : " on " + esc(g.host())).append(" — ")
                    .append(g.passed() ? "✓ passed" : "✗ not passed").append(" at ").append(ReportTimes.clock(g.time(), zone))
                    .append("\n\n| Item | Answer | Who | When | Note | Evidence |\n|---|---|---|---|---|---|\n");
            for (GateAnswer a : g.answers()) {
                b.append("| ").append(esc(a.item())).append(" | ").append(a.passed() ? "✓ " : "✗ ").append(esc(a.status()))
                        .append(" | ").append(esc(a.operator())).append(" | ").append(esc(ReportTimes.clock(a.time(), zone)))
                        .append(" | ").append(esc(a.note())).append(" | ").append(esc(a.evidence())).append(" |\n");
            }
        }
    }

    private static void triggers(StringBuilder b, RunReport r, ZoneId zone) {
        if (r.triggers().isEmpty()) {
            return;
        }
        b.append("\n## Triggers fired\n\n| When | Host | Trigger | Action | Evidence |\n|---|---|---|---|---|\n");
        for (TriggerReport t : r.triggers()) {
            b.append("| ").append(ReportTimes.clock(t.time(), zone)).append(" | ").append(esc(t.host())).append(" | ")
                    .append(esc(t.trigger())).append(" | ").append(esc(t.action())).append(t.dryRun() ? " (dry run: not acted on)" : "")
                    .append(" | ").append(esc(t.evidence())).append(t.values().isEmpty() ? "" : " (" + esc(t.valuesLine()) + ")")
                    .append(" |\n");
        }
    }

    private static void rollbacks(StringBuilder b, RunReport r, ZoneId zone) {
        if (r.rollbacks().isEmpty()) {
            return;
        }
        b.append("\n## Rollbacks\n\n| Host | Started | Reason | Result | Message |\n|---|---|---|---|---|\n");
        for (RollbackReport rb : r.rollbacks()) {
            String result = rb.succeeded().map(ok -> ok ? "✓ succeeded" : "✗ failed").orElse("? did not finish");
            b.append("| ").append(esc(rb.host())).append(" | ").append(ReportTimes.clock(rb.started(), zone)).append(" | ")
                    .append(esc(rb.reason())).append(" | ").append(result).append(" | ").append(esc(rb.message())).append(" |\n");
        }
    }

    private static void notices(StringBuilder b, RunReport r, ZoneId zone) {
        List<NoticeReport> shown = r.notices().stream().filter(n -> !n.level().equals("info")).toList();
        if (shown.isEmpty()) {
            return;
        }
        b.append("\n## Notices\n\n");
        for (NoticeReport n : shown) {
            b.append("- ").append(ReportTimes.clock(n.time(), zone)).append(' ').append(esc(n.level()))
                    .append(n.host().isEmpty() ? "" : " (" + esc(n.host()) + ")").append(": ").append(esc(n.message())).append('\n');
        }
    }

    private static void row(StringBuilder b, String key, String value) {
        b.append("| ").append(key).append(" | ").append(value).append(" |\n");
    }

    static String shortDigest(String digest) {
        return digest.length() > 12 ? digest.substring(0, 12) : digest;
    }

    /** Text in a table cell: no line breaks, and nothing a Markdown viewer would take as markup or HTML. */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\', '|', '<', '`', '*', '[', ']' -> b.append('\\').append(c);
                case '\n' -> b.append(' ');
                case '\r' -> { }
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Text inside backticks: a backtick would end the span, so it becomes a quote. */
    private static String code(String s) {
        return s.replace('`', '\'').replace('\n', ' ').replace("|", "\\|");
    }
}
