package dev.opsctl.param;

/** The declared type of a runbook or checklist parameter; a {@code secret} is masked wherever it would be shown. */
public enum ParamType {
    STRING,
    INT,
    BOOL,
    DURATION,
    LIST,
    SECRET;

    public String yamlName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
