/**
 * The {@code helm} step type: one Helm operation per step (install, upgrade, uninstall, rollback, status,
 * history, template, lint), parsed with positions and run through {@link dev.opsctl.target.helm.HelmTarget}
 * ({@code via: helm}) or, for {@code via: kube}, rendered by Helm and applied through
 * {@link dev.opsctl.target.kube.KubeTarget} with Helm's ownership marks ({@link dev.opsctl.action.helm.ViaKube}).
 */
package dev.opsctl.action.helm;
