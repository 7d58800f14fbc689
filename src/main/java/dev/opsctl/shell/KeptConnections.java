package dev.opsctl.shell;

import java.time.Duration;

/**
 * The connections the shell keeps open between commands, so that the next command on the same
 * hosts does not connect again: what {@code status} shows and {@code disconnect} closes.
 */
public interface KeptConnections {
    /** Kept nothing: for shells that keep no connections. */
    KeptConnections NONE = new KeptConnections() {
        @Override
        public Duration keptFor() {
            return Duration.ZERO;
        }

        @Override
        public int count() {
            return 0;
        }

        @Override
        public int closeAll() {
            return 0;
        }
    };

    /** How long an unused connection is kept; zero when none is. */
    Duration keptFor();

    /** How many connections are kept now. */
    int count();

    /** Closes every kept connection; returns how many there were. */
    int closeAll();
}
