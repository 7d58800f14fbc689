package dev.opsctl.checklist.run;

import java.util.List;
import java.util.Map;

/**
 * What one evaluation needs: the hosts host-placed items run for (empty: they run once, for the
 * controller), the resolved params (by name, typed; secrets as {@link dev.opsctl.source.Secret}),
 * extra {@code vars}, who runs it, and what templates see as {@code host.*} per host name
 * ({@code name}, {@code address}, ...; a host missing here is known by its name only, which is also
 * its address). {@code runFields} are more {@code run.*} values from the caller: a gate of a run passes the run's
 * container backend ({@code backend}, {@code namespace}, {@code context}), so items can say
 * {@code when: run.backend == "docker"}.
 */
public record ChecklistRun(List<String> hosts, Map<String, Object> params, Map<String, Object> vars, String operator,
        Map<String, Map<String, Object>> hostFields, Map<String, String> runFields) {
    public ChecklistRun {
        hosts = List.copyOf(hosts);
        params = Map.copyOf(params);
        vars = Map.copyOf(vars);
        hostFields = Map.copyOf(hostFields);
        runFields = Map.copyOf(runFields);
    }

    public ChecklistRun(List<String> hosts, Map<String, Object> params, Map<String, Object> vars, String operator,
            Map<String, Map<String, Object>> hostFields) {
        this(hosts, params, vars, operator, hostFields, Map.of());
    }

    public ChecklistRun(List<String> hosts, Map<String, Object> params, Map<String, Object> vars, String operator) {
        this(hosts, params, vars, operator, Map.of(), Map.of());
    }

    /** What {@code host.*} is for {@code host}. */
    public Map<String, Object> hostFields(String host) {
        return hostFields.getOrDefault(host, Map.of("name", host, "address", host));
    }
}
