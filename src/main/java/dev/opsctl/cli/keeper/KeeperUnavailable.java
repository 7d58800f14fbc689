package dev.opsctl.cli.keeper;

/** No keeper can be used here; the message says why, for a one-line warning before running without it. */
public final class KeeperUnavailable extends Exception {
    public KeeperUnavailable(String message) {
        super(message, null, false, false);
    }
}
