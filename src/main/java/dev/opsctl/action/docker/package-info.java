/**
 * The {@code docker} step type: one operation on the host's Docker daemon (info, ps, stop, run,
 * inspect, exec, image, wait), reached through {@code target.docker} over whatever target the host
 * has (local, or SSH with a forwarded socket). Container operations go through
 * {@link dev.opsctl.target.container.ContainerBackend}, so another runtime can serve them later.
 */
package dev.opsctl.action.docker;
