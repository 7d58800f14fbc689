package dev.opsctl.target.kube;

import dev.opsctl.target.ExecResult;
import dev.opsctl.target.TargetException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * A Kubernetes cluster as opsctl's {@code kube} steps and probes see it: objects as plain JSON-like
 * maps ({@code Map<String, Object>}, lists, strings, numbers, booleans), never client-library types.
 * One instance per kubeconfig context; thread-safe. Every method throws {@link TargetException}:
 * {@code UNREACHABLE} when the API server does not answer, {@code AUTH_FAILED} on 401/403,
 * {@code TIMEOUT} when a wait runs out, {@code REMOTE_FAILED} for everything the server refused
 * (a missing object: "deployment 'web' not found in namespace 'prod'"; a conflict, with its reason).
 */
public interface KubeTarget extends AutoCloseable {
    /** What an {@code apply} did to one object: created, configured (changed), unchanged; and whether server-side apply did it. */
    record Applied(String kind, String name, String namespace, String action, boolean serverSide) {
        /** The object as a step result's row: kind, name, namespace, action. */
        public java.util.Map<String, Object> row() {
            java.util.Map<String, Object> row = new java.util.LinkedHashMap<>();
            row.put("kind", kind);
            row.put("name", name);
            row.put("namespace", namespace);
            row.put("action", action);
            return row;
        }
    }

    /** One revision of a Deployment: its ReplicaSet, {@code kubernetes.io/change-cause}, images, and whether it is the current one. */
    record Revision(long number, String replicaSet, String changeCause, List<String> images, boolean current) {
        public Revision {
            images = List.copyOf(images);
        }
    }

    /** One event about an object, newest last when listed. */
    record Event(String type, String reason, String message, int count, String lastSeen, String object) {}

    /** Where a Deployment's rollout stands, as {@code kubectl rollout status} judges it. */
    record RolloutState(boolean done, boolean failed, String reason, long replicas, long updated, long available, long ready,
            long revision) {}

    /** How a wait ended: whether the condition held before the timeout, and the object as last seen (empty map: absent). */
    record Waited(boolean met, Map<String, Object> object) {}

    /** What an undo did: the revision before, the revision whose template is now live, and whether anything changed. */
    record RolledBack(long from, Revision to, boolean changed) {}

    /** A local port forwarded to a pod's port until closed. */
    interface PortForward extends AutoCloseable {
        int localPort();

        @Override
        void close();
    }

    /** The kubeconfig context name, or {@code in-cluster}. */
    String context();

    /** The namespace used when a call gives none. */
    String namespace();

    /** For messages: {@code kube context 'prod' (https://10.0.0.1:6443)}. */
    String describe();

    /** One object, or empty when it does not exist. */
    Optional<Map<String, Object>> get(KubeRef ref) throws TargetException, InterruptedException;

    /** Objects of a kind matching the ref's label selector (every object when the selector is empty), sorted by name. */
    List<Map<String, Object>> list(KubeRef ref) throws TargetException, InterruptedException;

    /**
     * Applies every object of a manifest (YAML or JSON, several documents allowed): server-side apply
     * (field manager {@code opsctl}) where the server supports it, else create-or-replace.
     */
    default List<Applied> apply(String manifest, String namespace) throws TargetException, InterruptedException {
        return apply(manifest, namespace, Map.of(), Map.of());
    }

    /** {@link #apply(String, String)}, first adding {@code labels} and {@code annotations} to every object (e.g. Helm's ownership marks). */
    List<Applied> apply(String manifest, String namespace, Map<String, String> labels, Map<String, String> annotations)
            throws TargetException, InterruptedException;

    /** Patches one object with a JSON patch ({@code json}) or a JSON merge patch ({@code merge}); returns the object after. */
    Map<String, Object> patch(KubeRef ref, String type, String body) throws TargetException, InterruptedException;

    /** Sets (overwrites) labels or annotations on every object the ref names; returns the objects after. */
    List<Map<String, Object>> setMetadata(KubeRef ref, boolean labels, Map<String, String> values)
            throws TargetException, InterruptedException;

    /** Sets {@code spec.replicas}; returns the object after. */
    Map<String, Object> scale(KubeRef ref, int replicas) throws TargetException, InterruptedException;

    /** Deletes the objects the ref names, waiting until they are gone when {@code wait} is given; returns their names. */
    List<String> delete(KubeRef ref, Optional<Duration> wait, OptionalLong gracePeriodSeconds)
            throws TargetException, InterruptedException;

    /**
     * Waits, watching the object (not polling), until {@code condition} holds or {@code timeout} passes.
     * An absent object is tested as an empty map. The condition runs on the client's threads.
     */
    Waited waitFor(KubeRef ref, Predicate<Map<String, Object>> condition, Duration timeout)
            throws TargetException, InterruptedException;

    /** Sets a container's image in a Deployment's pod template; returns the image it had before. */
    String setImage(KubeRef deployment, String container, String image) throws TargetException, InterruptedException;

    /** Watches a Deployment until its rollout is complete, has failed, or {@code timeout} passes (then not done, with the reason). */
    RolloutState rolloutStatus(KubeRef deployment, Duration timeout) throws TargetException, InterruptedException;

    /** A Deployment's revisions from its ReplicaSets, oldest first. */
    List<Revision> rolloutHistory(KubeRef deployment) throws TargetException, InterruptedException;

    /**
     * Rolls a Deployment back to a revision (the one before the current when empty) by copying that
     * revision's ReplicaSet pod template into the Deployment, as {@code kubectl rollout undo} does.
     */
    RolledBack rolloutUndo(KubeRef deployment, OptionalLong toRevision) throws TargetException, InterruptedException;

    /** Runs a command in a pod's container (the first when empty), without a shell. */
    ExecResult exec(KubeRef pod, Optional<String> container, List<String> command, Duration timeout)
            throws TargetException, InterruptedException;

    /** A container's log: the previous (crashed) instance's with {@code previous}, the last {@code tail} lines when given. */
    String logs(KubeRef pod, Optional<String> container, boolean previous, OptionalInt tail)
            throws TargetException, InterruptedException;

    /** Events about one object, oldest first (newest last). */
    List<Event> events(KubeRef ref) throws TargetException, InterruptedException;

    /** Forwards a free local port to a port of a pod, or of a pod behind a service. */
    PortForward portForward(KubeRef podOrService, int port) throws TargetException, InterruptedException;

    /** Closes the client; idempotent, never throws. */
    @Override
    void close();
}
