package dev.opsctl.inventory;

import dev.opsctl.source.SourcePos;

/**
 * A host that has the name of a group holding other hosts too. Ansible reads the name two ways in
 * a pattern: {@code lb} is the host, but {@code !lb}, {@code &lb} and {@code lb[0]} are the
 * group's hosts, so {@code all:!lb} runs on the hosts of the group lb and spares only the host.
 */
public record AmbiguousName(String name, SourcePos host, SourcePos group) {
    /** Why a pattern term that names this is refused, and how to fix it. */
    String refusal(String term, String base, String pattern) {
        String what = base.equals(name) ? "names" : "matches";
        return "'" + term + "' in host pattern '" + pattern + "' " + what + " '" + name + "', which is both a host (" + where(host)
                + ") and a group (" + where(group) + ") that holds other hosts: Ansible reads '" + name + "' as the host but '!"
                + name + "', '&" + name + "' and '" + name + "[0]' as the group, so no reading of it is safe; rename the group"
                + " (a host's name is kept in run journals, which resume and rollback read)";
    }

    private static String where(SourcePos pos) {
        return pos.isKnown() ? "declared at " + pos : "built in";
    }
}
