package dev.opsctl.testhost;

/** What a command run inside a test host (or by the fixture script) returned. */
public record HostExec(String command, int exitCode, String stdout, String stderr) {

    public boolean ok() {
        return exitCode == 0;
    }

    /** This result, or an {@link AssertionError} showing the command and both streams. */
    public HostExec orFail() {
        if (!ok()) {
            throw new AssertionError(describe());
        }
        return this;
    }

    public String describe() {
        return "'" + command + "' exited " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
}
