package dev.opsctl.target.container;

import java.util.List;

/**
 * How a stop went: {@code stopped} exited within the timeout (or were not running), {@code forced}
 * had to be killed after it, {@code stillRunning} outlived the timeout without {@code force_after}.
 */
public record StopReport(List<String> stopped, List<String> forced, List<String> stillRunning) {
    public StopReport {
        stopped = List.copyOf(stopped);
        forced = List.copyOf(forced);
        stillRunning = List.copyOf(stillRunning);
    }

    public boolean complete() {
        return stillRunning.isEmpty();
    }
}
