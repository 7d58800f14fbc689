/**
 * The target SPI: how an action reaches the world (run a command, move a file) without knowing
 * whether the host is this machine or a remote one. One subpackage per system (local, ssh, ...),
 * each translating its library's exceptions into {@link dev.opsctl.target.TargetException}.
 * May import {@code source} and {@code event} only.
 */
package dev.opsctl.target;
