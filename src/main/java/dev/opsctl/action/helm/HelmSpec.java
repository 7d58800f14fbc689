package dev.opsctl.action.helm;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A {@code helm} step: context and namespace (templates; the kubeconfig's when absent), the directory
 * chart and values paths are relative to (the runbook's), and its one operation.
 */
public record HelmSpec(Optional<String> context, Optional<String> namespace, Path baseDir, HelmOp op) {}
