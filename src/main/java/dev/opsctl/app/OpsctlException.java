package dev.opsctl.app;

import dev.opsctl.engine.ExitCodes;

/** A use case refused to go on; the message is for the operator and {@code exitCode} for the shell. */
public final class OpsctlException extends Exception {
    private final int exitCode;

    private OpsctlException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /** Bad input: unknown param, wrong type, bad runbook or inventory (exit 2). */
    public static OpsctlException usage(String message) {
        return new OpsctlException(ExitCodes.USAGE, message);
    }

    /** The request was understood but it is not safe to go on (locked, runbook changed, interrupted step): exit 1. */
    public static OpsctlException refused(String message) {
        return new OpsctlException(ExitCodes.FAILED, message);
    }

    /** Another operator's run holds the cluster lock (a Lease) for this runbook: exit 6, try again once it is released. */
    public static OpsctlException locked(String message) {
        return new OpsctlException(ExitCodes.LOCKED, message);
    }

    public int exitCode() {
        return exitCode;
    }
}
