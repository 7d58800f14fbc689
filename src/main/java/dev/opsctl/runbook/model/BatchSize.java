package dev.opsctl.runbook.model;

/** One entry of {@code serial}: a host count, or a percentage of all hosts (rounded up, at least 1). */
public record BatchSize(int value, boolean percent) {
    public int hostsOf(int total) {
        if (!percent) {
            return Math.max(1, value);
        }
        return Math.max(1, (int) Math.ceil(total * value / 100.0));
    }

    @Override
    public String toString() {
        return percent ? value + "%" : String.valueOf(value);
    }
}
