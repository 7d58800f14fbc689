package dev.opsctl.action.helm;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A {@code helm} step: context and namespace (templates; the kubeconfig's when absent), the directory
 * chart and values paths are relative to (the runbook's), and its one operation. {@code via}: a template
 * ({@code "{{ helm_via }}"}) rendered when the step runs, overriding the operation's parsed via.
 */
public record HelmSpec(Optional<String> context, Optional<String> namespace, Path baseDir, HelmOp op, Optional<String> via) {
    public HelmSpec(Optional<String> context, Optional<String> namespace, Path baseDir, HelmOp op) {
        this(context, namespace, baseDir, op, Optional.empty());
    }
}
