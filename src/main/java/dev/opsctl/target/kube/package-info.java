/**
 * Kubernetes as a target, on fabric8 (the only package that imports it): {@link dev.opsctl.target.kube.KubeTarget}
 * (objects as plain maps), the kubeconfig/in-cluster {@link dev.opsctl.target.kube.KubeClientFactory},
 * {@link dev.opsctl.target.kube.KubeErrors} (fabric8 exceptions to TargetException kinds), the Lease
 * lock {@link dev.opsctl.target.kube.KubeLease} and the pod {@link dev.opsctl.target.kube.KubeContainerBackend}.
 * May import {@code source}, {@code event} and the target SPI.
 */
package dev.opsctl.target.kube;
