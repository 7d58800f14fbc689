package dev.opsctl.target.kube;

import dev.opsctl.target.TargetException;
import dev.opsctl.target.kube.KubeTarget.Waited;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
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
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/** Objects of any kind, named or selected by labels: get, list, patch, scale, label/annotate, delete, wait. Refs come resolved. */
final class KubeObjects {
    private final KubeClient kube;

    KubeObjects(KubeClient kube) {
        this.kube = kube;
    }

    Optional<Map<String, Object>> get(KubeRef r) throws TargetException, InterruptedException {
        GenericKubernetesResource o = kube.read(r, () -> kube.resource(r).get());
        return o == null ? Optional.empty() : Optional.of(kube.toMap(o));
    }

    List<Map<String, Object>> list(KubeRef r) throws TargetException, InterruptedException {
        List<GenericKubernetesResource> items = kube.read(r, () -> {
            var op = kube.fabric8().genericKubernetesResources(r.apiVersion(), r.kind());
            var scoped = r.namespace().isEmpty() ? op : op.inNamespace(r.namespace());
            return r.selector().isEmpty() ? scoped.list().getItems() : scoped.withLabelSelector(r.selector()).list().getItems();
        });
        List<Map<String, Object>> out = new ArrayList<>();
        items.stream().sorted(Comparator.comparing((HasMetadata h) -> h.getMetadata().getName())).forEach(i -> out.add(kube.toMap(i)));
        return out;
    }

    /** The named object, or every object the selector matches; a named object that is absent is an error. */
    private List<KubeRef> targets(KubeRef r) throws TargetException, InterruptedException {
        if (r.byName()) {
            return List.of(r);
        }
        List<KubeRef> out = new ArrayList<>();
        for (Map<String, Object> o : list(r)) {
            out.add(r.withName(ObjectMaps.str(o, "metadata", "name")));
        }
        return out;
    }

    /** The object as read, for a request that changes it: fabric8 then takes its name and namespace from it, reading nothing. */
    private Resource<GenericKubernetesResource> bound(KubeRef r, GenericKubernetesResource read) {
        var op = kube.fabric8().genericKubernetesResources(r.apiVersion(), r.kind());
        return r.namespace().isEmpty() ? op.resource(read) : op.inNamespace(r.namespace()).resource(read);
    }

    Map<String, Object> patch(KubeRef r, String type, String body) throws TargetException, InterruptedException {
        PatchType pt = switch (type) {
            case "json" -> PatchType.JSON;
            case "merge" -> PatchType.JSON_MERGE;
            case "strategic" -> PatchType.STRATEGIC_MERGE;
            default -> throw TargetException.remoteFailed(kube.context(), "unknown patch type '" + type + "' (json, merge or strategic)");
        };
        GenericKubernetesResource current = kube.read(r, () -> kube.resource(r).get());
        if (current == null) {
            throw KubeErrors.notFound(kube.context(), r);
        }
        return kube.toMap(kube.call(r, () -> bound(r, current).patch(PatchContext.of(pt), body)));
    }

    List<Map<String, Object>> setMetadata(KubeRef r, boolean labels, Map<String, String> values)
            throws TargetException, InterruptedException {
        List<Map<String, Object>> out = new ArrayList<>();
        List<KubeRef> all = targets(r);
        for (KubeRef one : all) {
            try {
                out.add(setMetadataOf(one, labels, values));
            } catch (TargetException e) {
                throw KubeErrors.partly(kube.context(), labels ? "labelling" : "annotating", labels ? "labelled" : "annotated",
                        all.subList(0, out.size()).stream().map(d -> d.describe() + (labels ? " labelled" : " annotated")).toList(),
                        all.size(), one.describeIn(), e);
            }
        }
        return out;
    }

    private Map<String, Object> setMetadataOf(KubeRef one, boolean labels, Map<String, String> values)
            throws TargetException, InterruptedException {
        GenericKubernetesResource after = kube.retryingConflicts(one, () -> kube.resource(one).get(), o -> {
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
        return kube.toMap(after);
    }

    Map<String, Object> scale(KubeRef r, int replicas) throws TargetException, InterruptedException {
        // a merge patch of spec.replicas rather than the scale subresource: one code path for every scalable kind
        return patch(r, "merge", "{\"spec\":{\"replicas\":" + replicas + "}}");
    }

    List<String> delete(KubeRef r, Optional<Duration> wait, OptionalLong gracePeriodSeconds) throws TargetException, InterruptedException {
        List<KubeRef> all = targets(r);
        List<String> deleted = new ArrayList<>();
        List<String> processed = new ArrayList<>();
        for (KubeRef one : all) {
            List<io.fabric8.kubernetes.api.model.StatusDetails> details;
            try {
                details = kube.call(one, () -> gracePeriodSeconds.isPresent()
                        ? kube.resource(one).withGracePeriod(gracePeriodSeconds.getAsLong()).delete()
                        : kube.resource(one).delete());
            } catch (TargetException e) {
                throw deleted.isEmpty() ? e : KubeErrors.partly(kube.context(), "delete", "deleted", processed, all.size(), one.describeIn(), e);
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
                    throw new TargetException(TargetException.Kind.TIMEOUT, kube.context(), one.describeIn() + " still exists after "
                            + wait.get().toSeconds() + "s (finalizers: " + ObjectMaps.list(w.object(), "metadata", "finalizers") + ")");
                }
            }
        }
        return deleted;
    }

    Waited waitFor(KubeRef r, Predicate<Map<String, Object>> condition, Duration timeout) throws TargetException, InterruptedException {
        AtomicReference<Map<String, Object>> last = new AtomicReference<>(Map.of());
        Predicate<GenericKubernetesResource> test = o -> {
            Map<String, Object> m = o == null ? Map.of() : kube.toMap(o);
            last.set(m);
            return condition.test(m);
        };
        return new Waited(kube.watch().until(r, kube.resource(r), test, timeout), last.get());
    }
}
