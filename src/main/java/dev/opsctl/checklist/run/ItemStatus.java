package dev.opsctl.checklist.run;

import java.util.Locale;

/** How an item ended. Only {@code PASSED} and {@code SKIPPED} (with a reason) let a checklist pass. */
public enum ItemStatus {
    PASSED,
    FAILED,
    SKIPPED,
    UNANSWERED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean blocks() {
        return this == FAILED || this == UNANSWERED;
    }
}
