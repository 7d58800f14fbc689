/**
 * The SSH target on sshj (the only package that imports sshj): one shared connection per host,
 * known_hosts verification that fails closed, identity files and ssh-agent, ProxyJump chains, and
 * the subset of ~/.ssh/config opsctl honours. {@link dev.opsctl.target.ssh.SshErrors} turns every
 * library exception into a {@link dev.opsctl.target.TargetException}. Imports {@code source} and
 * {@code target} only.
 */
package dev.opsctl.target.ssh;
