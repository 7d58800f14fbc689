package dev.opsctl.engine;

/** The exit-code contract of DESIGN.md, in one place; picocli's exit-code mapper reads it. */
public final class ExitCodes {
    public static final int OK = 0;
    /** a step failed and the run halted */
    public static final int FAILED = 1;
    /** usage or validation error */
    public static final int USAGE = 2;
    /** a host was rolled back (a trigger fired, or opsctl runs rollback) and the rollback succeeded */
    public static final int ROLLED_BACK = 3;
    /** rollback itself failed, or opsctl halted where only a human can tell what to do: a human must act */
    public static final int ROLLBACK_FAILED = 4;
    /**
     * the same code as {@link #ROLLBACK_FAILED}, for a halt only a human can resolve: a host's command may still
     * be running after its connection broke, so opsctl neither retried nor rolled it back
     */
    public static final int HUMAN_MUST_ACT = ROLLBACK_FAILED;
    /** a gate was not passed */
    public static final int GATE_FAILED = 5;
    /** another run holds the cluster lock (a coordination.k8s.io Lease) for this runbook: nothing was changed */
    public static final int LOCKED = 6;
    /** a bug: rerun with --debug */
    public static final int INTERNAL = 70;
    /** interrupted (Ctrl-C); the journal says where */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {}

    /** The code that wins when several outcomes happen in one run: the one a human must look at first. */
    public static int worst(int a, int b) {
        return rank(a) >= rank(b) ? a : b;
    }

    private static int rank(int code) {
        return switch (code) {
            case OK -> 0;
            case FAILED -> 1;
            case ROLLED_BACK -> 2;
            case LOCKED -> 3;
            case GATE_FAILED -> 3;
            case USAGE -> 4;
            case ROLLBACK_FAILED -> 5;
            case INTERRUPTED -> 6;
            default -> 7;
        };
    }
}
