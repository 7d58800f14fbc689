package dev.opsctl.engine.plan;

/** What shapes a plan besides the runbook and the hosts. */
public record PlanOptions(int forks) {
    public static final int DEFAULT_FORKS = 50;
    public static final PlanOptions DEFAULT = new PlanOptions(DEFAULT_FORKS);

    public PlanOptions {
        if (forks < 1) {
            throw new IllegalArgumentException("forks must be at least 1, got " + forks);
        }
    }
}
