package dev.opsctl.runbook.model;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The checklists that must pass at each phase of a run. */
public record Gates(Map<GatePhase, List<GateRef>> byPhase, int approvals) {
    public static final Gates NONE = new Gates(Map.of(), 1);

    public Gates {
        Map<GatePhase, List<GateRef>> copy = new EnumMap<>(GatePhase.class);
        byPhase.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        byPhase = java.util.Collections.unmodifiableMap(copy);
    }

    public List<GateRef> at(GatePhase phase) {
        return byPhase.getOrDefault(phase, List.of());
    }
}
