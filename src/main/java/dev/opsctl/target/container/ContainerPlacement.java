package dev.opsctl.target.container;

import dev.opsctl.target.TargetException;

/**
 * A host target whose container operations go to the backend the run chose ({@code --backend
 * kubernetes}) instead of the host's own Docker daemon. Found with {@code target instanceof
 * ContainerPlacement}; a target without it keeps its containers in its own Docker daemon.
 * Implementations are thread-safe.
 */
public interface ContainerPlacement {
    /** The backend's name as the operator chose it, for messages: {@code kubernetes}. */
    String backendName();

    /** The backend, connected on first use; UNREACHABLE or AUTH_FAILED when it cannot be reached. */
    ContainerBackend containers() throws TargetException;
}
