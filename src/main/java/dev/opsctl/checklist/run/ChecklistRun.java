package dev.opsctl.checklist.run;

import java.util.List;
import java.util.Map;

/**
 * What one evaluation needs: the hosts host-placed items run for (empty: they run once, for the
 * controller), the resolved params (by name, typed; secrets as {@link dev.opsctl.source.Secret}),
 * extra {@code vars}, and who runs it.
 */
public record ChecklistRun(List<String> hosts, Map<String, Object> params, Map<String, Object> vars, String operator) {
    public ChecklistRun {
        hosts = List.copyOf(hosts);
        params = Map.copyOf(params);
        vars = Map.copyOf(vars);
    }
}
