package dev.opsctl.target;

import java.util.Optional;

/**
 * A host that commands run on and files move to. Implementations are thread-safe: several steps'
 * probes and a monitor may use one target at once (for SSH: one connection, a channel per call).
 * Connection is lazy; the first call connects and may throw {@link TargetException} of kind
 * {@code UNREACHABLE}, {@code HOST_KEY} or {@code AUTH_FAILED}.
 */
public interface Target extends AutoCloseable {
    /** The inventory name of the host, as used in messages. */
    String host();

    /** How this host is reached, for messages: {@code local}, {@code ssh deploy@10.0.0.5:22}. */
    String describe();

    /**
     * Runs a command through {@code sh -c} (so pipes and redirections work) and waits for it.
     * A timeout kills the command (on the host, not just the local wait) and returns a result with
     * {@link ExecResult#timedOut()} set; it does not throw. A non-zero exit is a result, not an
     * exception. Throws only when the host could not be reached or the connection broke.
     */
    ExecResult exec(ExecRequest request) throws TargetException, InterruptedException;

    /**
     * Writes a file atomically (a temporary file beside it, then rename), with the given mode and
     * owner. The previous content is replaced; backing it up is the caller's decision. A symlink at
     * {@code path} is replaced by the file, never written through. Mode, owner and group not given
     * are those of the regular file replaced, else 0644 and the writing user. Owner and mode are on
     * the file before its content, and nothing is renamed into place when they cannot be set. On
     * failure of any kind nothing it created is left behind where it can still reach the host.
     */
    void put(String path, byte[] content, FileAttrs attrs) throws TargetException, InterruptedException;

    /** Reads a whole file, as {@code sudo} says; a missing file throws kind {@code REMOTE_FAILED}. */
    byte[] get(String path, Sudo sudo) throws TargetException, InterruptedException;

    /**
     * Size, mode, owner, group and kind of a path (a symlink is followed), or empty when it does not
     * exist. Every target gives the same answer for the same file, an owner or group without a name
     * named by its number.
     */
    Optional<FileInfo> stat(String path, Sudo sudo) throws TargetException, InterruptedException;

    /** {@link #get(String, Sudo)} as this login's user, or as root through passwordless sudo. */
    default byte[] get(String path, boolean asRoot) throws TargetException, InterruptedException {
        return get(path, asRoot ? Sudo.ROOT : Sudo.NONE);
    }

    /** {@link #stat(String, Sudo)} as this login's user, or as root through passwordless sudo. */
    default Optional<FileInfo> stat(String path, boolean asRoot) throws TargetException, InterruptedException {
        return stat(path, asRoot ? Sudo.ROOT : Sudo.NONE);
    }

    /** Releases the connection; idempotent, never throws. */
    @Override
    void close();
}
