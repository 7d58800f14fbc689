package dev.opsctl.cli;

/**
 * Exit codes the command line returns itself. Interim copy of the contract in DESIGN.md until
 * {@code dev.opsctl.app.ExitCodes} lands; then every use switches to that one class.
 */
final class ExitCode {
    static final int OK = 0;
    static final int STEP_FAILED = 1;
    static final int USAGE = 2;
    static final int INTERNAL = 70;

    private ExitCode() {}
}
