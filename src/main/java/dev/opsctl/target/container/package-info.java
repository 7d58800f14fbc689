/**
 * What opsctl does with containers on a host, independent of the system running them: list by
 * label, stop gracefully, run a verification container, exec in one. {@code target.docker}
 * implements it today; a Kubernetes implementation can follow without touching the steps.
 * Plain interfaces and records: no library, imports {@code target} only.
 */
package dev.opsctl.target.container;
