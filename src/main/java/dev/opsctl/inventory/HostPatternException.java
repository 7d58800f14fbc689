package dev.opsctl.inventory;

/** A host pattern that selects nothing or cannot be read; the message names the term and a hint. */
public final class HostPatternException extends Exception {
    public HostPatternException(String message) {
        super(message);
    }
}
