package dev.opsctl.engine.execute;

import dev.opsctl.inventory.Connection;
import dev.opsctl.inventory.Host;
import dev.opsctl.runbook.model.Step;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The template variables of one host: bare param names and {@code params.*}, {@code host.*},
 * {@code vars.*} (host vars, then the step's), {@code run.*}, {@code env.*}, {@code steps.<id>.*}
 * and each {@code register} name. Reserved names win over a param or register of the same name.
 * Confined to its host's thread.
 */
final class HostScope {
    private final Map<String, Object> params;
    private final Map<String, Object> run;
    private final Map<String, Object> env;
    private final Host host;
    private final Map<String, Object> hostMap;
    private final Map<String, Object> steps = new LinkedHashMap<>();
    private final Map<String, Object> registers = new LinkedHashMap<>();

    HostScope(Map<String, Object> params, Map<String, Object> run, Map<String, String> env, Host host) {
        this.params = params;
        this.run = run;
        this.env = Map.copyOf(env);
        this.host = host;
        this.hostMap = hostMap(host);
    }

    private static Map<String, Object> hostMap(Host h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", h.name());
        m.put("address", h.address());
        h.port().or(() -> h.connection() == Connection.SSH ? java.util.Optional.of(22) : java.util.Optional.empty())
                .ifPresent(p -> m.put("port", p));
        h.user().ifPresent(u -> m.put("user", u));
        m.put("groups", List.copyOf(h.groups()));
        m.put("vars", h.vars());
        return m;
    }

    /** Everything a template in {@code step} may read. */
    Map<String, Object> variables(Step step) {
        Map<String, Object> root = variables();
        Map<String, Object> vars = new HashMap<>(host.vars());
        vars.putAll(step.vars());
        root.put("vars", vars);
        return root;
    }

    /** Variables between steps (for hooks): no step vars. */
    Map<String, Object> variables() {
        Map<String, Object> root = new HashMap<>(params);
        root.putAll(registers);
        root.put("params", params);
        root.put("host", hostMap);
        root.put("vars", host.vars());
        root.put("run", run);
        root.put("env", env);
        root.put("steps", Map.copyOf(steps));
        return root;
    }

    void record(Step step, Map<String, Object> fields) {
        Map<String, Object> f = Map.copyOf(fields);
        steps.put(step.id(), f);
        step.register().ifPresent(r -> registers.put(r, f));
    }
}
