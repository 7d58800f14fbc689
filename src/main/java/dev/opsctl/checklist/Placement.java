package dev.opsctl.checklist;

import java.util.Locale;

/**
 * Where an item is evaluated. {@code CONTROLLER} (a checklist's {@code scope: run}, an item's
 * {@code on: controller}): once per checklist run, probes on the controller. {@code HOST}
 * ({@code scope: host}, {@code on: host}): once per target host, probes against that host.
 */
public enum Placement {
    CONTROLLER,
    HOST;

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
