package dev.opsctl.inventory;

import java.util.Optional;
import java.util.Set;

/**
 * Ansible's names for this machine ({@code C.LOCALHOST}): a pattern term that is one of them and
 * matches nothing else reaches the inventory's first host named one of them, so {@code 127.0.0.1}
 * selects the host {@code localhost}. With none in the inventory Ansible makes one up (the implicit
 * localhost, a local connection), which opsctl does not: a run would reach a machine the inventory
 * does not list.
 */
final class AnsibleLocalhost {
    static final Set<String> NAMES = Set.of("localhost", "127.0.0.1", "::1");

    private AnsibleLocalhost() {}

    /** The host {@code term} reaches as a name of this machine, if it is one and the inventory has such a host. */
    static Optional<String> of(Inventory inv, String term) {
        return NAMES.contains(term) ? inv.declaredHosts().stream().filter(NAMES::contains).findFirst() : Optional.empty();
    }
}
