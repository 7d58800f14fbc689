/**
 * The connection keeper: a background process per user and build of opsctl that holds SSH
 * connections open between one-shot commands, as OpenSSH's ControlPersist and Ansible's default
 * do, so that the next {@code opsctl exec} on the same hosts opens channels instead of logging in
 * again. The client hands its command line, environment and working directory over a Unix socket
 * in a directory only the user can enter, and prints what comes back. Knows nothing of commands:
 * {@code dev.opsctl.cli} decides what the keeper runs.
 */
package dev.opsctl.cli.keeper;
