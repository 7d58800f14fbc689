package dev.opsctl.engine.rollback;

import dev.opsctl.engine.journal.HostState;
import dev.opsctl.engine.journal.RunState;
import java.util.ArrayList;
import java.util.List;

/**
 * Which hosts of a journaled run {@code runs rollback} takes. Named hosts must belong to the run and
 * are taken as asked (again, if they were rolled back before). Without names: every host that started,
 * except those whose rollback already succeeded, latest host first (the reverse of the run's order).
 */
public final class RollbackSelection {
    /** {@code hosts} to roll back, in order; {@code skipped} says why others were left alone. */
    public record Choice(List<String> hosts, List<String> skipped) {
        public Choice {
            hosts = List.copyOf(hosts);
            skipped = List.copyOf(skipped);
        }
    }

    private RollbackSelection() {}

    public static Choice choose(RunState run, List<String> named) {
        List<String> hosts = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        if (!named.isEmpty()) {
            for (String n : named) {
                if (!run.hosts().containsKey(n)) {
                    throw new IllegalArgumentException("host '" + n + "' is not part of run " + run.runId() + "; its hosts are "
                            + String.join(", ", run.hosts().keySet()));
                }
                if (!hosts.contains(n)) {
                    hosts.add(n);
                }
            }
            return new Choice(hosts, skipped);
        }
        List<HostState> states = new ArrayList<>(run.hosts().values());
        java.util.Collections.reverse(states);
        for (HostState h : states) {
            if (!started(h)) {
                skipped.add("host '" + h.host() + "' never started");
            } else if (h.rollback().filter("succeeded"::equals).isPresent()) {
                skipped.add("host '" + h.host() + "' was already rolled back");
            } else {
                hosts.add(h.host());
            }
        }
        return new Choice(hosts, skipped);
    }

    static boolean started(HostState h) {
        return !h.steps().isEmpty() || h.interruptedStep().isPresent();
    }
}
