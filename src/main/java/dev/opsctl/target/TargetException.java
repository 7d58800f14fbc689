package dev.opsctl.target;

/**
 * Everything that can go wrong reaching a host, as one of a few kinds the engine and the report
 * distinguish. Library exceptions never escape a target package; they become one of these.
 * Messages say what happened and, where there is one, what to do.
 */
public final class TargetException extends Exception {
    public enum Kind {
        /** nothing answered, or the connection could not be made: the host is "unreachable" */
        UNREACHABLE,
        /** the host answered but refused our credentials */
        AUTH_FAILED,
        /** the host key is unknown or changed: fail closed */
        HOST_KEY,
        /** the connection broke while something ran on it */
        CONNECTION_LOST,
        /** a call to the host took longer than allowed */
        TIMEOUT,
        /** the host answered with an error (missing file, permission denied, daemon error) */
        REMOTE_FAILED
    }

    /** What a command wrote before the connection under it broke: shown, not lost. */
    public record OutputSoFar(String stdout, String stderr) {
        public static final OutputSoFar NONE = new OutputSoFar("", "");
    }

    /**
     * For a lost connection ({@link Kind#CONNECTION_LOST}): what is known of the command that ran on
     * it. A broken connection does not stop a command on the host (sshd's child may be gone while the
     * command, under sudo or in its own group, goes on); only a stop confirmed from a new connection does.
     */
    public enum LostCommand {
        /** nothing is known: it may have finished, failed, or still be running on the host */
        MAY_STILL_RUN,
        /**
         * nothing of it goes on: opsctl reconnected and stopped what was left of it (TERM, then KILL) and checked
         * it was gone, or it was a file transfer, which does nothing more once its session is gone
         */
        STOPPED,
        /**
         * the call only read (a Docker inspect or list, a Prometheus query): nothing of it runs on and nothing
         * changed on the host, so it may be made again; a failure like any other, not a step cut short
         */
        READ_ONLY,
        /**
         * it ran to its end (a container whose exit status came through), but what it reported was cut off with the
         * connection: nothing of it goes on, and running it again would run it twice
         */
        ENDED
    }

    private final Kind kind;
    private final String host;
    private OutputSoFar outputSoFar = OutputSoFar.NONE;
    private LostCommand lostCommand = LostCommand.MAY_STILL_RUN;
    private boolean changeUnanswered;
    private boolean notStarted;

    public TargetException(Kind kind, String host, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.host = host;
    }

    public TargetException(Kind kind, String host, String message) {
        this(kind, host, message, null);
    }

    public Kind kind() {
        return kind;
    }

    public String host() {
        return host;
    }

    /** What the command wrote before it failed so (a lost connection), or what sudo or the login shell said instead of starting it; empty for other failures. */
    public OutputSoFar outputSoFar() {
        return outputSoFar;
    }

    /** This exception, carrying what the command wrote before it failed. */
    public TargetException withOutputSoFar(OutputSoFar output) {
        this.outputSoFar = output;
        return this;
    }

    /** For a lost connection, what is known of the command that ran on it; {@link LostCommand#MAY_STILL_RUN} unless told. */
    public LostCommand lostCommand() {
        return lostCommand;
    }

    public TargetException withLostCommand(LostCommand state) {
        this.lostCommand = state;
        return this;
    }

    /**
     * This exception (a {@link Kind#TIMEOUT}), saying the host went silent under a request that changes something (a
     * container's create, start or kill): it may have done it, or still be doing it, as under a lost connection.
     */
    public TargetException withChangeUnanswered() {
        this.changeUnanswered = true;
        return this;
    }

    /**
     * Whether what this call began may still be going on on the host: a lost connection nothing stopped
     * ({@link LostCommand#MAY_STILL_RUN}), or a change the host went silent under ({@link #withChangeUnanswered()}).
     */
    public boolean mayStillRun() {
        return kind == Kind.CONNECTION_LOST && lostCommand == LostCommand.MAY_STILL_RUN || kind == Kind.TIMEOUT && changeUnanswered;
    }

    /**
     * This exception, saying the host refused to start the command (sudo refused it, or the login shell runs no
     * commands): nothing of it ran, and it would be refused the same way again until the host's sudoers or shell change.
     */
    public TargetException withNotStarted() {
        this.notStarted = true;
        return this;
    }

    /** Whether the host refused to start the command ({@link #withNotStarted()}): retrying is no use. */
    public boolean notStarted() {
        return notStarted;
    }

    /** True when the host could not be used at all (reported as unreachable, not as a failed step). */
    public boolean unreachable() {
        return kind == Kind.UNREACHABLE || kind == Kind.AUTH_FAILED || kind == Kind.HOST_KEY;
    }

    public static TargetException unreachable(String host, String why, Throwable cause) {
        return new TargetException(Kind.UNREACHABLE, host, "host '" + host + "' is unreachable: " + why, cause);
    }

    public static TargetException remoteFailed(String host, String why) {
        return new TargetException(Kind.REMOTE_FAILED, host, why);
    }
}
