package dev.opsctl.engine.journal;

import dev.opsctl.source.InstantText;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a run was started with: the first journal record ({@code run-started}), and again for each
 * resume ({@code run-resumed}). {@code params} are already masked (secrets as {@code ********}), so a
 * resume must be given its secrets again. {@code inventory} is empty for the embedded local target.
 */
public record RunHeader(
        String runId,
        String runbook,
        String runbookFile,
        String digest,
        Map<String, String> params,
        Optional<String> inventory,
        List<HostRecord> hosts,
        List<String> limit,
        Map<String, Object> options,
        String operator,
        String controller,
        long pid,
        Instant started) {

    public RunHeader {
        params = Map.copyOf(params);
        hosts = List.copyOf(hosts);
        limit = List.copyOf(limit);
        options = Map.copyOf(options);
    }

    public List<String> hostNames() {
        return hosts.stream().map(HostRecord::name).toList();
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runId", runId);
        m.put("runbook", runbook);
        m.put("runbookFile", runbookFile);
        m.put("digest", digest);
        m.put("params", new java.util.TreeMap<>(params));
        m.put("inventory", inventory.orElse(""));
        m.put("hosts", hosts.stream().map(HostRecord::toMap).toList());
        m.put("limit", limit);
        m.put("options", new java.util.TreeMap<>(options));
        m.put("operator", operator);
        m.put("controller", controller);
        m.put("pid", pid);
        m.put("started", started.toString());
        return m;
    }

    static RunHeader fromMap(Map<String, Object> m) {
        Map<String, String> params = new LinkedHashMap<>();
        Json.map(m, "params").forEach((k, v) -> params.put(k, String.valueOf(v)));
        String inv = Json.str(m, "inventory");
        return new RunHeader(Json.str(m, "runId"), Json.str(m, "runbook"), Json.str(m, "runbookFile"),
                Json.str(m, "digest"), params, inv.isEmpty() ? Optional.empty() : Optional.of(inv),
                Json.list(m, "hosts").stream().map(Json::asMap).map(HostRecord::fromMap).toList(),
                Json.list(m, "limit").stream().map(String::valueOf).toList(), Json.map(m, "options"),
                Json.str(m, "operator"), Json.str(m, "controller"), Json.num(m, "pid"),
                InstantText.parse(Json.str(m, "started")));
    }
}
