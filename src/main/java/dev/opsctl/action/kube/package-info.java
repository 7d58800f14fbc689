/**
 * The {@code kube} step type: one Kubernetes operation per step (get, apply, rollout_status, ...),
 * parsed with positions and run through {@link dev.opsctl.target.kube.KubeTarget}, never fabric8
 * directly. Field paths ({@code status.conditions[type=Available].status}) are read by {@link dev.opsctl.action.kube.FieldPath}.
 */
package dev.opsctl.action.kube;
