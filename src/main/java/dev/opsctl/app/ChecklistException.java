package dev.opsctl.app;

/**
 * A checklist could not be run as asked: not found, invalid, bad params or answers. The message is
 * ready to print (compiler-style problems included); the command line exits 2.
 */
public final class ChecklistException extends Exception {
    private final String hint;

    public ChecklistException(String message, String hint) {
        super(message);
        this.hint = hint;
    }

    /** What to do about it; empty when the message says it all. */
    public String hint() {
        return hint;
    }
}
