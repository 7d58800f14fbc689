package dev.opsctl.target.kube;

import dev.opsctl.target.ExecResult;
import dev.opsctl.target.TargetException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * The {@link KubeTarget} on fabric8: generic objects here, manifests in {@link KubeApply}, rollouts
 * in {@link KubeRollouts}, pods in {@link KubePods}. Thread-safe (fabric8's client is).
 */
public final class KubeClient implements KubeTarget {
    /** Reads and writes of one edit before a conflict is the answer (a controller that never stops writing). */
    static final int CONFLICT_ATTEMPTS = 5;
    private final KubernetesClient client;
    private final String context;
    private final String server;
    private final String namespace;
    private final KubeApply applier;
    private final KubeRollouts rollouts;
    private final KubePods pods;
    private final KubeWatch watch;

    KubeClient(KubernetesClient client, String context, String server, String namespace) {
        this.client = client;
        this.context = context;
        this.server = server;
        this.namespace = namespace;
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

    /** The object as read, for a request that changes it: fabric8 then takes its name and namespace from it, reading nothing. */
    private Resource<GenericKubernetesResource> bound(KubeRef r, GenericKubernetesResource read) {
        var op = client.genericKubernetesResources(r.apiVersion(), r.kind());
        return r.namespace().isEmpty() ? op.resource(read) : op.inNamespace(r.namespace()).resource(read);
    }

    @Override
    public Optional<Map<String, Object>> get(KubeRef ref) throws TargetException, InterruptedException {
        KubeRef r = resolve(ref);
        GenericKubernetesResource o = read(r, () -> resource(r).get());
        return o == null ? Optional.empty() : Optional.of(toMap(o));
    }

    @Override
    public List<Map<String, Object>> list(KubeRef ref) throws TargetException, InterruptedException {
        KubeRef r = resolve(ref);
        List<GenericKubernetesResource> items = read(r, () -> {
            var op = client.genericKubernetesResources(r.apiVersion(), r.kind());
            var scoped = r.namespace().isEmpty() ? op : op.inNamespace(r.namespace());
            return r.selector().isEmpty() ? scoped.list().getItems() : scoped.withLabelSelector(r.selector()).list().getItems();
        });
        List<Map<String, Object>> out = new ArrayList<>();
        items.stream().sorted(Comparator.comparing((HasMetadata h) -> h.getMetadata().getName())).forEach(i -> out.add(toMap(i)));
        return out;
    }

    /** The named object, or every object the selector matches; a named object that is absent is an error. */
    List<KubeRef> targets(KubeRef r) throws TargetException, InterruptedException {
        if (r.byName()) {
            return List.of(r);
        }
        List<KubeRef> out = new ArrayList<>();
        for (Map<String, Object> o : list(r)) {
            out.add(r.withName(ObjectMaps.str(o, "metadata", "name")));
        }
        return out;
    }

    @Override
    public List<Applied> apply(String manifest, String ns, Map<String, String> labels, Map<String, String> annotations)
            throws TargetException, InterruptedException {
        return applier.apply(manifest, ns.isEmpty() ? namespace : ns, labels, annotations);
    }

    @Override
    public Map<String, Object> patch(KubeRef ref, String type, String body) throws TargetException, InterruptedException {
        KubeRef r = resolve(ref);
        PatchType pt = switch (type) {
            case "json" -> PatchType.JSON;
            case "merge" -> PatchType.JSON_MERGE;
            case "strategic" -> PatchType.STRATEGIC_MERGE;
            default -> throw TargetException.remoteFailed(context, "unknown patch type '" + type + "' (json, merge or strategic)");
        };
        GenericKubernetesResource current = read(r, () -> resource(r).get());
        if (current == null) {
            throw KubeErrors.notFound(context, r);
        }
        return toMap(call(r, () -> bound(r, current).patch(PatchContext.of(pt), body)));
    }

    @Override
    public List<Map<String, Object>> setMetadata(KubeRef ref, boolean labels, Map<String, String> values)
            throws TargetException, InterruptedException {
        KubeRef r = resolve(ref);
        List<Map<String, Object>> out = new ArrayList<>();
        List<KubeRef> all = targets(r);
        for (KubeRef one : all) {
            try {
                out.add(setMetadataOf(one, labels, values));
            } catch (TargetException e) {
                throw KubeErrors.partly(context, labels ? "labelling" : "annotating", labels ? "labelled" : "annotated", all.subList(0,
                        out.size()).stream().map(d -> d.describe() + (labels ? " labelled" : " annotated")).toList(), all.size(),
                        one.describeIn(), e);
            }
        }
        return out;
    }

    private Map<String, Object> setMetadataOf(KubeRef one, boolean labels, Map<String, String> values)
            throws TargetException, InterruptedException {
        GenericKubernetesResource after = retryingConflicts(one, () -> resource(one).get(), o -> {
            Map<String, String> m = new LinkedHashMap<>(Objects.requireNonNullElse(
                    labels ? o.getMetadata().getLabels() : o.getMetadata().getAnnotations(), Map.of()));
            m.putAll(values);
            if (labels) {
                o.getMetadata().setLabels(m);
            } else {
                o.getMetadata().setAnnotations(m);
            }
            return Optional.of(o);
        }, (current, changed) -> bound(one, current).patch(PatchContext.of(PatchType.JSON), changed)).orElseThrow();
        return toMap(after);
    }

    @Override
    public Map<String, Object> scale(KubeRef ref, int replicas) throws TargetException, InterruptedException {
        // a merge patch of spec.replicas rather than the scale subresource: one code path for every scalable kind
        return patch(ref, "merge", "{\"spec\":{\"replicas\":" + replicas + "}}");
    }

    @Override
    public List<String> delete(KubeRef ref, Optional<Duration> wait, OptionalLong gracePeriodSeconds)
            throws TargetException, InterruptedException {
        KubeRef r = resolve(ref);
        List<KubeRef> all = targets(r);
        List<String> deleted = new ArrayList<>();
        List<String> processed = new ArrayList<>();
        for (KubeRef one : all) {
            List<io.fabric8.kubernetes.api.model.StatusDetails> details;
            try {
                details = call(one, () -> gracePeriodSeconds.isPresent()
                        ? resource(one).withGracePeriod(gracePeriodSeconds.getAsLong()).delete()
                        : resource(one).delete());
            } catch (TargetException e) {
                throw deleted.isEmpty() ? e : KubeErrors.partly(context, "delete", "deleted", processed, all.size(), one.describeIn(), e);
            }
            processed.add(one.describe() + (details.isEmpty() ? " already gone" : " deleted"));
            // an object already gone is not an error: rollbacks and resumed runs delete twice
            if (!details.isEmpty()) {
                deleted.add(one.name());
            }
        }
        if (wait.isPresent()) {
            for (String name : deleted) {
                KubeRef one = r.withName(name);
                Waited w = waitFor(one, Map::isEmpty, wait.get());
                if (!w.met()) {
                    throw new TargetException(TargetException.Kind.TIMEOUT, context, one.describeIn() + " still exists after "
                            + wait.get().toSeconds() + "s (finalizers: " + ObjectMaps.list(w.object(), "metadata", "finalizers") + ")");
                }
            }
        }
        return deleted;
    }

    @Override
    public Waited waitFor(KubeRef ref, Predicate<Map<String, Object>> condition, Duration timeout)
            throws TargetException, InterruptedException {
        KubeRef r = resolve(ref);
        AtomicReference<Map<String, Object>> last = new AtomicReference<>(Map.of());
        Predicate<GenericKubernetesResource> test = o -> {
            Map<String, Object> m = o == null ? Map.of() : toMap(o);
            last.set(m);
            return condition.test(m);
        };
        return new Waited(watch.until(r, resource(r), test, timeout), last.get());
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
