package dev.opsctl.runbook.model;

/** What a fired trigger does (userns-remap 6.1 / 6.2). */
public enum TriggerAction {
    /** roll this host back, halt the rollout */
    ROLLBACK,
    /** roll back this host and every host already done */
    ROLLBACK_ALL,
    /** stop, leave everything as is */
    HALT,
    /** ask an operator, with a deadline and a declared default */
    ASK,
    /** stop until an operator resumes */
    PAUSE;

    /** The action a runbook (or a journaled firing) names, as {@link #yamlName} spells it. */
    public static java.util.Optional<TriggerAction> ofYamlName(String name) {
        return java.util.Arrays.stream(values()).filter(a -> a.yamlName().equals(name)).findFirst();
    }

    public String yamlName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
