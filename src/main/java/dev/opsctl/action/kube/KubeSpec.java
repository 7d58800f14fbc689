package dev.opsctl.action.kube;

import java.util.Optional;

/** A {@code kube} step: the context and namespace (templates; the kubeconfig's when empty) and its one operation. */
public record KubeSpec(Optional<String> context, Optional<String> namespace, KubeOp op) {}
