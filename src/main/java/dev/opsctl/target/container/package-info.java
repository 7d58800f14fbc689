/**
 * What opsctl does with containers, independent of the system running them: list by label, stop
 * gracefully, run a verification container, exec in one ({@link dev.opsctl.target.container.ContainerBackend}).
 * {@code target.docker} implements it on a host's Docker daemon, {@code target.kube} on the pods of
 * one namespace; a run picks one ({@code --backend}) and hands it to steps through a
 * {@link dev.opsctl.target.container.ContainerPlacement} target. Plain interfaces and records: no
 * library, imports {@code target} only.
 */
package dev.opsctl.target.container;
