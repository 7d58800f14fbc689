package dev.opsctl.runbook.model;

import java.util.Map;

/** Name, description and free-form labels (e.g. {@code source: seeds/000}). */
public record Metadata(String name, String description, Map<String, String> labels) {
    public Metadata {
        labels = Map.copyOf(labels);
    }
}
