package dev.opsctl.target.kube;

import dev.opsctl.target.ExecResult;
import dev.opsctl.target.TargetException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * The {@link KubeTarget} on fabric8: what its parts share (the client, the context, refs resolved, reads and writes
 * with their failures translated, read-modify-writes), with objects in {@link KubeObjects}, manifests in
 * {@link KubeApply}, rollouts in {@link KubeRollouts}, pods in {@link KubePods}. Thread-safe (fabric8's client is).
 */
public final class KubeClient implements KubeTarget {
    /** Reads and writes of one edit before a conflict is the answer (a controller that never stops writing). */
    static final int CONFLICT_ATTEMPTS = 5;
    private final KubernetesClient client;
    private final String context;
    private final String server;
    private final String namespace;
    private final KubeObjects objects;
    private final KubeApply applier;
    private final KubeRollouts rollouts;
    private final KubePods pods;
    private final KubeWatch watch;

    KubeClient(KubernetesClient client, String context, String server, String namespace) {
        this.client = client;
        this.context = context;
        this.server = server;
        this.namespace = namespace;
        this.objects = new KubeObjects(this);
        this.applier = new KubeApply(this);
        this.rollouts = new KubeRollouts(this);
        this.pods = new KubePods(this);
        this.watch = new KubeWatch(this);
    }

    /** A target over an existing fabric8 client (tests: the mock server's), in its namespace. */
    public static KubeClient over(KubernetesClient client, String context) {
        String ns = Optional.ofNullable(client.getConfiguration().getNamespace()).orElse("default");
        return new KubeClient(client, context, client.getConfiguration().getMasterUrl(), ns);
    }

    KubernetesClient fabric8() {
        return client;
    }

    @Override
    public String context() {
        return context;
    }

    @Override
    public String namespace() {
        return namespace;
    }

    @Override
    public String describe() {
        return "kube context '" + context + "' (" + server + ")";
    }

    /** The ref with its namespace filled in (the default one) for namespaced kinds, or cleared for cluster-scoped ones. */
    KubeRef resolve(KubeRef ref) throws TargetException {
        Optional<KubeKinds.Kind> k = KubeKinds.find(ref.kind());
        if (k.isEmpty() && ref.apiVersion().isEmpty()) {
            throw TargetException.remoteFailed(context, "unknown kind '" + ref.kind() + "': give 'api_version' for custom resources");
        }
        String kind = k.map(KubeKinds.Kind::name).orElse(ref.kind());
        String api = ref.apiVersion().isEmpty() ? k.get().apiVersion() : ref.apiVersion();
        boolean namespaced = k.map(KubeKinds.Kind::namespaced).orElse(true);
        String ns = !namespaced ? "" : ref.namespace().isEmpty() ? namespace : ref.namespace();
        return new KubeRef(api, kind, ref.name(), ns, ref.selector());
    }

    Resource<GenericKubernetesResource> resource(KubeRef r) {
        var op = client.genericKubernetesResources(r.apiVersion(), r.kind());
        return r.namespace().isEmpty() ? op.withName(r.name()) : op.inNamespace(r.namespace()).withName(r.name());
    }

    Map<String, Object> toMap(Object o) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = client.getKubernetesSerialization().convertValue(o, Map.class);
        return m;
    }

    KubeWatch watch() {
        return watch;
    }

    /** A call that may change something: not sent again when its connection breaks ({@link KubeErrors#call}). */
    <T> T call(KubeRef about, java.util.function.Supplier<T> body) throws TargetException, InterruptedException {
        return KubeErrors.call(context, about, body);
    }

    /** A call that only reads: asked once more when its connection breaks ({@link KubeErrors#read}). */
    <T> T read(KubeRef about, java.util.function.Supplier<T> body) throws TargetException, InterruptedException {
        return KubeErrors.read(context, about, body);
    }

    /** What an edit makes of the object as read (a copy): the object to write, or empty when it needs no change. */
    @FunctionalInterface
    interface Edit<T> {
        Optional<T> of(T current) throws TargetException;
    }

    /**
     * A read-modify-write: the object read (as a read: asked again when its connection breaks or it is answered 5xx),
     * changed by {@code edit}, and written by {@code write} (given the object read and the changed one; one request, a
     * patch guarded by the resourceVersion read). A controller that writes the object in between (a status update is
     * enough) makes the server refuse it with 409; it is then done again from a fresh read, at most
     * {@link #CONFLICT_ATTEMPTS} times, as kubectl's retry-on-conflict does. fabric8's own edit is not used: it reads the
     * object again inside the write, where a failed read would be taken for a change that may have been made.
     */
    <T extends HasMetadata> Optional<T> retryingConflicts(KubeRef about, java.util.function.Supplier<T> get, Edit<T> edit,
            java.util.function.BinaryOperator<T> write) throws TargetException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            T current = read(about, get);
            if (current == null) {
                throw KubeErrors.notFound(context, about);
            }
            Optional<T> changed = edit.of(client.getKubernetesSerialization().clone(current));
            if (changed.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(call(about, () -> write.apply(current, changed.get())));
            } catch (TargetException e) {
                boolean conflict = e.getCause() instanceof KubernetesClientException k && k.getCode() == 409;
                if (!conflict || attempt == CONFLICT_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    @Override
    public Optional<Map<String, Object>> get(KubeRef ref) throws TargetException, InterruptedException {
        return objects.get(resolve(ref));
    }

    @Override
    public List<Map<String, Object>> list(KubeRef ref) throws TargetException, InterruptedException {
        return objects.list(resolve(ref));
    }

    @Override
    public List<Applied> apply(String manifest, String ns, Map<String, String> labels, Map<String, String> annotations)
            throws TargetException, InterruptedException {
        return applier.apply(manifest, ns.isEmpty() ? namespace : ns, labels, annotations);
    }

    @Override
    public Map<String, Object> patch(KubeRef ref, String type, String body) throws TargetException, InterruptedException {
        return objects.patch(resolve(ref), type, body);
    }

    @Override
    public List<Map<String, Object>> setMetadata(KubeRef ref, boolean labels, Map<String, String> values)
            throws TargetException, InterruptedException {
        return objects.setMetadata(resolve(ref), labels, values);
    }

    @Override
    public Map<String, Object> scale(KubeRef ref, int replicas) throws TargetException, InterruptedException {
        return objects.scale(resolve(ref), replicas);
    }

    @Override
    public List<String> delete(KubeRef ref, Optional<Duration> wait, OptionalLong gracePeriodSeconds)
            throws TargetException, InterruptedException {
        return objects.delete(resolve(ref), wait, gracePeriodSeconds);
    }

    @Override
    public Waited waitFor(KubeRef ref, Predicate<Map<String, Object>> condition, Duration timeout)
            throws TargetException, InterruptedException {
        return objects.waitFor(resolve(ref), condition, timeout);
    }

    @Override
    public String setImage(KubeRef deployment, String container, String image) throws TargetException, InterruptedException {
        return rollouts.setImage(resolve(deployment), container, image);
    }

    @Override
    public RolloutState rolloutStatus(KubeRef deployment, Duration timeout) throws TargetException, InterruptedException {
        return rollouts.status(resolve(deployment), timeout);
    }

    @Override
    public List<Revision> rolloutHistory(KubeRef deployment) throws TargetException, InterruptedException {
        return rollouts.history(resolve(deployment));
    }

    @Override
    public RolledBack rolloutUndo(KubeRef deployment, OptionalLong toRevision) throws TargetException, InterruptedException {
        return rollouts.undo(resolve(deployment), toRevision);
    }

    @Override
    public ExecResult exec(KubeRef pod, Optional<String> container, List<String> command, Duration timeout)
            throws TargetException, InterruptedException {
        return pods.exec(resolve(pod), container, command, timeout);
    }

    @Override
    public String logs(KubeRef pod, Optional<String> container, boolean previous, OptionalInt tail)
            throws TargetException, InterruptedException {
        return pods.logs(resolve(pod), container, previous, tail);
    }

    @Override
    public List<Event> events(KubeRef ref) throws TargetException, InterruptedException {
        return pods.events(resolve(ref));
    }

    @Override
    public PortForward portForward(KubeRef podOrService, int port) throws TargetException, InterruptedException {
        return pods.portForward(resolve(podOrService), port);
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (RuntimeException e) {
            // closing must not fail a run that is already ending
        }
    }
}
