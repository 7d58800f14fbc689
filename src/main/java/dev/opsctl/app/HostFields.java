package dev.opsctl.app;

import dev.opsctl.inventory.Connection;
import dev.opsctl.inventory.Host;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a checklist (a gate's or {@code checklist run}'s) sees as {@code host.*}: the inventory's address, port, user, groups, vars. */
final class HostFields {
    private HostFields() {}

    static Map<String, Map<String, Object>> of(List<Host> hosts) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        hosts.forEach(h -> out.put(h.name(), of(h)));
        return out;
    }

    static Map<String, Object> of(Host h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", h.name());
        m.put("address", h.address());
        h.port().or(() -> h.connection() == Connection.SSH ? Optional.of(22) : Optional.empty()).ifPresent(p -> m.put("port", p));
        h.user().ifPresent(u -> m.put("user", u));
        m.put("groups", List.copyOf(h.groups()));
        m.put("vars", h.vars());
        return m;
    }
}
