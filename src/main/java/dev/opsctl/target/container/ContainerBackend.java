package dev.opsctl.target.container;

import dev.opsctl.target.TargetException;
import java.time.Duration;
import java.util.List;

/**
 * The container operations a rollout needs from a host's container runtime. Implementations are
 * thread-safe and translate every library failure into a {@link TargetException}: UNREACHABLE when
 * the runtime does not answer, REMOTE_FAILED when it refuses (no such container or image), TIMEOUT
 * when a call takes longer than allowed. Calls block; an interrupt ends them with
 * {@link InterruptedException}.
 */
public interface ContainerBackend {
    /** For messages: {@code docker on host 'web-1'}. */
    String describe();

    /**
     * Containers carrying every one of {@code labels}, each written {@code key} (any value) or
     * {@code key=value}; with {@code all} also the stopped ones. Sorted by name.
     */
    List<Container> list(List<String> labels, boolean all) throws TargetException, InterruptedException;

    /**
     * Stops the containers gracefully: their stop signal (SIGTERM unless the image says otherwise),
     * then up to {@code timeout} for them to exit; with {@code forceAfter} the ones still running are
     * killed. Containers already stopped count as stopped; unknown ids are REMOTE_FAILED.
     */
    StopReport stop(List<String> ids, Duration timeout, boolean forceAfter) throws TargetException, InterruptedException;

    /**
     * Runs a container. Unless detached, waits up to {@code spec.timeout()} for it to exit and
     * returns its exit code and combined output (killing it when the time is up); with
     * {@code spec.remove()} it is removed afterwards in every case. A missing image is REMOTE_FAILED.
     */
    ContainerRun run(ContainerSpec spec) throws TargetException, InterruptedException;

    /** Runs {@code command} (an argv, no shell) in a running container and waits up to {@code timeout}. */
    CommandResult exec(String container, List<String> command, Duration timeout) throws TargetException, InterruptedException;
}
