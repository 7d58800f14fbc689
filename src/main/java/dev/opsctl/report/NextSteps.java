package dev.opsctl.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What the operator should do after a run, derived from how it ended: the commands to run next. */
final class NextSteps {
    /** One piece of advice and, when there is one, the command that carries it out. */
    record Advice(String text, Optional<String> command) {}

    private NextSteps() {}

    static List<Advice> of(RunReport r) {
        List<Advice> out = new ArrayList<>();
        String id = r.runId();
        for (HostReport h : r.hosts()) {
            switch (h.state()) {
                case "rollback_failed" -> out.add(new Advice("host '" + h.name() + "': the rollback failed"
                        + because(h.message()) + "; a human must act: check the host by hand, then retry the rollback",
                        Optional.of("opsctl runs rollback " + id)));
                case "rolled_back" -> out.add(new Advice("host '" + h.name() + "' was rolled back" + trigger(r, h.name())
                        + "; find the cause before trying again, then start a new run for it",
                        Optional.of("opsctl run " + quote(r.runbookFile()) + r.inventory().map(i -> " -i " + quote(i)).orElse("")
                                + " -l " + quote(h.name()))));
                case "failed", "unreachable", "interrupted" -> {
                    Optional<StepReport> bad = h.steps().stream().filter(s -> !s.succeeded() && !s.ignored()).reduce((a, b) -> b);
                    String what = h.state().equals("unreachable")
                            ? "could not be reached; check that it is up and that 'ssh " + h.address() + "' works"
                            : h.state().equals("interrupted") ? "was interrupted" + because(h.message())
                            : "failed" + because(h.message());
                    out.add(new Advice("host '" + h.name() + "' " + what,
                            bad.map(s -> "opsctl runs show " + id + " --step " + s.step())));
                }
                case "halted" -> h.steps().stream().filter(s -> s.outcome().equals("connection_lost") && !s.rollback())
                        .reduce((a, b) -> b).ifPresent(s -> out.add(new Advice("host '" + h.name() + "': step '" + s.step()
                                + "' lost its connection mid-way: its command may still be running, or its change may have been applied; check the host, then roll it "
                                + "back, or resume the run with --rerun-interrupted", Optional.of("opsctl runs rollback " + id
                                + " --host " + h.name()))));
                default -> {
                    // ok, skipped and not_started hosts need nothing of their own, nor one halted before its next step
                }
            }
        }
        for (GateReport g : r.gates()) {
            if (!g.passed()) {
                List<String> items = g.answers().stream().filter(a -> !a.passed()).map(GateAnswer::item).toList();
                out.add(new Advice("gate '" + g.checklist() + "' (" + g.phase() + (g.host().isEmpty() ? "" : ", host '" + g.host() + "'")
                        + ") was not passed" + (items.isEmpty() ? "" : ": " + String.join(", ", items.stream().map(i -> "'" + i + "'").toList()))
                        + "; settle the items, confirm them with --confirm ID or an answers file, and resume", Optional.empty()));
            }
        }
        if (resumable(r)) {
            out.add(new Advice("when the cause is fixed, continue the run where it stopped (steps already done are not repeated)",
                    Optional.of("opsctl runs resume " + id)));
        }
        if (out.isEmpty() && r.status().equals("ok")) {
            out.add(new Advice("nothing to do: every host finished ok", Optional.empty()));
        }
        return out;
    }

    private static boolean resumable(RunReport r) {
        return List.of("failed", "halted", "interrupted", "gate_failed", RunReport.UNFINISHED).contains(r.status());
    }

    private static String trigger(RunReport r, String host) {
        return r.triggersOf(host).stream().reduce((a, b) -> b).map(t -> " after trigger '" + t.trigger() + "' fired").orElse("");
    }

    private static String because(String message) {
        return message.isBlank() ? "" : ": " + message;
    }

    /** Single-quotes a value for a shell command line unless it is plainly safe. */
    static String quote(String s) {
        return s.matches("[A-Za-z0-9_./:@%+=,-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
