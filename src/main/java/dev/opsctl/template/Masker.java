package dev.opsctl.template;

import java.util.Collection;

/** Replaces every occurrence of the run's secret values with {@link dev.opsctl.source.Secret#MASK}. Thread-safe. */
public final class Masker {
    public static final Masker NONE = new Masker(java.util.List.of());

    public Masker(Collection<String> secrets) {}

    public String mask(String text) {
        throw new UnsupportedOperationException("TODO");
    }
}
