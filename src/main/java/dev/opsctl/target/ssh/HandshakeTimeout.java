package dev.opsctl.target.ssh;

import dev.opsctl.source.Durations;
import java.net.SocketTimeoutException;
import java.time.Duration;

/** No SSH handshake with a hop within the time it was given: its connect timeout, or less, what was left of a call's time. */
final class HandshakeTimeout extends SocketTimeoutException {
    private final Duration within;

    HandshakeTimeout(Duration within) {
        super("no SSH handshake within " + Durations.format(within));
        this.within = within;
    }

    Duration within() {
        return within;
    }
}
