package dev.opsctl.runbook.model;

import dev.opsctl.source.SourcePos;
import java.util.List;

/**
 * Which inventory hosts a runbook runs on: Ansible-style patterns ({@code docker_hosts},
 * {@code web*:!web3}). {@code local} (or none) means the embedded local target.
 */
public record Targets(List<String> patterns, SourcePos pos) {
    public static final String LOCAL = "local";

    public Targets {
        patterns = List.copyOf(patterns);
    }

    public boolean isLocal() {
        return patterns.isEmpty() || patterns.equals(List.of(LOCAL));
    }
}
