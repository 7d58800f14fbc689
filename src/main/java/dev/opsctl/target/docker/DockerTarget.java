package dev.opsctl.target.docker;

import dev.opsctl.target.TargetException;
import dev.opsctl.target.container.ContainerBackend;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A host's Docker daemon, shaped for what runbooks do with it: check it answers and how it is set
 * up, find, stop, run and inspect containers, and make sure an image is present. Thread-safe; the
 * connection is made on first use. Failures are {@link TargetException}s: UNREACHABLE ("docker
 * daemon on host 'x' is not answering"), REMOTE_FAILED (no such container or image, a refused
 * request) or TIMEOUT.
 */
public interface DockerTarget extends ContainerBackend, AutoCloseable {
    /** The inventory name of the host the daemon runs on. */
    String host();

    /** Returns when the daemon answers {@code /_ping}; UNREACHABLE when it does not. */
    void ping() throws TargetException, InterruptedException;

    /**
     * As {@link #ping()}, for a caller whose own limit ends {@code within} from now: TIMEOUT then, when that comes before
     * the daemon's response timeout.
     */
    void ping(Duration within) throws TargetException, InterruptedException;

    DaemonInfo info() throws TargetException, InterruptedException;

    /**
     * One field of {@code docker inspect CONTAINER}, by Docker's own field path ({@code State.Pid},
     * {@code .HostConfig.UsernsMode}, {@code {{.State.Pid}}}): a String, Long, Double, Boolean, List or
     * Map, or empty when the path does not exist. REMOTE_FAILED when the container does not exist.
     */
    Optional<Object> inspect(String container, String field) throws TargetException, InterruptedException;

    /** Every image's repository tags ({@code workspace-base:latest}). */
    List<String> images() throws TargetException, InterruptedException;

    boolean hasImage(String name) throws TargetException, InterruptedException;

    /**
     * Loads images from a {@code docker save} tar streamed from this process, waiting at most {@code timeout} for the
     * upload and the daemon's answer (TIMEOUT after it); REMOTE_FAILED when the daemon rejects it.
     */
    void load(InputStream tar, Duration timeout) throws TargetException, InterruptedException;

    /** Pulls {@code name} from its registry, waiting at most {@code timeout}. */
    void pull(String name, Duration timeout) throws TargetException, InterruptedException;

    /** Closes the client; idempotent, never throws. */
    @Override
    void close();
}
