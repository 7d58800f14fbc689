package dev.opsctl.runbook.model;

/** Where in a run a gate's checklists must pass. */
public enum GatePhase {
    BEFORE_RUN,
    BEFORE_HOST,
    AFTER_HOST,
    AFTER_RUN;

    public String yamlName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
