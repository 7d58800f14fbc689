package dev.opsctl.target.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.container.StopReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A graceful stop of many containers at once: each gets its stop signal, all share one timeout,
 * and only then are the survivors killed. Done by hand rather than with {@code POST /stop}, whose
 * daemon-side SIGKILL leaves no trace of which containers had to be forced.
 */
final class ContainerStopper {
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration KILL_WAIT = Duration.ofSeconds(15);

    private final DaemonConnection daemon;
    private final ContainerInspector inspector;

    ContainerStopper(DaemonConnection daemon, ContainerInspector inspector) {
        this.daemon = daemon;
        this.inspector = inspector;
    }

    StopReport stop(List<String> ids, Duration timeout, boolean forceAfter) throws TargetException, InterruptedException {
        List<String> stopped = new ArrayList<>();
        Map<String, String> pending = new LinkedHashMap<>();
        for (String id : ids) {
            JsonNode c = inspector.json(id).orElseThrow(() -> inspector.noSuchContainer(id));
            if (c.path("State").path("Running").asBoolean(false)) {
                String signal = c.path("Config").path("StopSignal").asText("");
                pending.put(id, signal.isEmpty() ? "SIGTERM" : signal);
            } else {
                stopped.add(id);
            }
        }
        for (Map.Entry<String, String> p : pending.entrySet()) {
            signal(p.getKey(), p.getValue());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        awaitExit(pending, stopped, deadline, afterSignals(pending, "the stop signal"));
        List<String> forced = new ArrayList<>();
        if (forceAfter && !pending.isEmpty()) {
            for (String id : pending.keySet()) {
                signal(id, "SIGKILL");
            }
            awaitExit(pending, forced, System.nanoTime() + KILL_WAIT.toNanos(), afterSignals(pending, "SIGKILL"));
        }
        return new StopReport(stopped, forced, new ArrayList<>(pending.keySet()));
    }

    /**
     * What a check of whether the containers exited, cut short by the host's connection, leaves unknown: their signals
     * went out, so something changed (never "nothing changed"), and they may be stopped, stopping or still running.
     */
    private static Optional<String> afterSignals(Map<String, String> pending, String signals) {
        boolean one = pending.size() == 1;
        return Optional.of("; " + signals + " had gone out to container" + (one ? " '" : "s '") + String.join("', '", pending.keySet())
                + "': " + (one ? "it" : "they") + " may have stopped, or may still be running");
    }

    /** Moves containers from {@code pending} to {@code done} as they exit, until none is left or the deadline passes. */
    private void awaitExit(Map<String, String> pending, List<String> done, long deadline, Optional<String> signalled)
            throws TargetException, InterruptedException {
        while (!pending.isEmpty()) {
            for (String id : new ArrayList<>(pending.keySet())) {
                if (!stillRunning(id, signalled)) {
                    pending.remove(id);
                    done.add(id);
                }
            }
            long left = deadline - System.nanoTime();
            if (pending.isEmpty() || left <= 0) {
                return;
            }
            Thread.sleep(Math.max(1, Math.min(POLL.toMillis(), left / 1_000_000)));
        }
    }

    private void signal(String id, String signal) throws TargetException, InterruptedException {
        daemon.change("sending " + signal + " to container '" + id + "'", c -> {
            try {
                c.killContainerCmd(id).withSignal(signal).exec();
            } catch (ConflictException | NotFoundException e) {
                // it exited (or was auto-removed) between the inspect and the signal: what we wanted
            }
            return null;
        });
    }

    /** Whether it still runs; a container removed meanwhile (auto-remove) has stopped. */
    private boolean stillRunning(String id, Optional<String> signalled) throws TargetException, InterruptedException {
        return inspector.json(id, signalled).map(c -> c.path("State").path("Running").asBoolean(false)).orElse(false);
    }
}
