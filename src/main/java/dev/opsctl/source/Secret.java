package dev.opsctl.source;

import java.util.Objects;

/**
 * A sensitive value (password, token). {@link #toString()} never shows it; only {@link #reveal()}
 * does, and only code that must hand the value to a system (a sudo prompt, a command) calls it.
 */
public final class Secret {
    public static final String MASK = "********";
    private final String value;

    public Secret(String value) {
        this.value = Objects.requireNonNull(value);
    }

    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return MASK;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
