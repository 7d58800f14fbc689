package dev.opsctl.target.ssh;

/**
 * What a connection's first command found out about the login shell that sshd runs every command
 * with: whether it is a POSIX shell (sh, bash, dash, ksh, zsh, BusyBox ash). The line by which a
 * command reports its process group then runs in that shell itself, with builtins only; until then,
 * and for csh or fish, it runs in a child {@code sh}, a process more per command (see
 * {@link RemoteCommand#build}). Thread-safe.
 */
final class LoginShell {
    private volatile boolean posix;

    boolean posix() {
        return posix;
    }

    /** The login shell said it is a POSIX shell. */
    void posixFound() {
        posix = true;
    }
}
