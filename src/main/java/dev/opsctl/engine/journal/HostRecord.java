package dev.opsctl.engine.journal;

import dev.opsctl.inventory.Host;
import java.util.LinkedHashMap;
import java.util.Map;

/** A resolved host as the journal keeps it: enough to say where a run went, no variables (they may hold secrets). */
public record HostRecord(String name, String address, int port, String user, String connection) {
    public static HostRecord of(Host h) {
        return new HostRecord(h.name(), h.address(), h.port().orElse(0), h.user().orElse(""),
                h.connection().name().toLowerCase(java.util.Locale.ROOT));
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("address", address);
        m.put("port", port);
        m.put("user", user);
        m.put("connection", connection);
        return m;
    }

    static HostRecord fromMap(Map<String, Object> m) {
        return new HostRecord(Json.str(m, "name"), Json.str(m, "address"), (int) Json.num(m, "port"),
                Json.str(m, "user"), Json.str(m, "connection"));
    }
}
