package dev.opsctl.target;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where workload containers run, whichever system runs them (Docker on a host, or pods in a
 * Kubernetes namespace): the four operations a rollout needs to drain a backend and verify it
 * afterwards. Implementations are thread-safe; every method may block on the system's API.
 */
public interface ContainerBackend {
    /** One running (or finished) workload container; {@code id} is what the other methods take. */
    record Container(String id, String name, String image, String state, Map<String, String> labels) {
        public Container {
            labels = Map.copyOf(labels);
        }
    }

    /**
     * A throw-away container that checks the backend works: it runs {@code command} in {@code image},
     * optionally under a sandboxing runtime (a Kubernetes RuntimeClass such as {@code gvisor}), and
     * must finish within {@code timeout}.
     */
    record Verification(String name, String image, List<String> command, Map<String, String> labels,
            Optional<String> runtime, Duration timeout) {
        public Verification {
            command = List.copyOf(command);
            labels = Map.copyOf(labels);
        }
    }

    /** How a verification ended: exit code (-1 when it did not finish), its output, and why it failed if it did. */
    record VerificationResult(String name, int exitCode, String logs, Optional<String> failure, Duration elapsed) {
        public boolean ok() {
            return exitCode == 0 && failure.isEmpty();
        }
    }

    /** Containers carrying every one of {@code labels}. */
    List<Container> list(Map<String, String> labels) throws TargetException, InterruptedException;

    /**
     * Stops a container gracefully: a stop signal, then a kill after {@code grace}. Returns once it is
     * gone or stopped; a container that is already gone is not an error.
     */
    void stop(String id, Duration grace) throws TargetException, InterruptedException;

    /** Runs a verification container to completion, returns its exit code and output, and removes it. */
    VerificationResult verify(Verification verification) throws TargetException, InterruptedException;

    /** Runs a command in a running container; a non-zero exit is a result, not an exception. */
    ExecResult exec(String id, List<String> command, Duration timeout) throws TargetException, InterruptedException;
}
