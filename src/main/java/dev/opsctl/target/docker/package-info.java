/**
 * A host's Docker daemon through docker-java (the only package that imports it): the daemon's
 * socket is reached through the host target's {@link dev.opsctl.target.UnixSocketForwarding}
 * (the path itself locally, a bridged private socket over SSH). One client per host and run.
 * Every docker-java failure becomes a {@link dev.opsctl.target.TargetException} in {@link DockerErrors}.
 */
package dev.opsctl.target.docker;
