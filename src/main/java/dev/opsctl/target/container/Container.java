package dev.opsctl.target.container;

import java.util.Map;

/** A container as listed: full id, name (without Docker's leading '/'), image, state ({@code running}, {@code exited}, ...) and labels. */
public record Container(String id, String name, String image, String state, Map<String, String> labels) {
    public Container {
        labels = Map.copyOf(labels);
    }

    public boolean running() {
        return "running".equals(state);
    }
}
