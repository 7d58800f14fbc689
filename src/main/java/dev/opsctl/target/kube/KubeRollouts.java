package dev.opsctl.target.kube;

import dev.opsctl.target.TargetException;
import dev.opsctl.target.kube.KubeTarget.Revision;
import dev.opsctl.target.kube.KubeTarget.RolledBack;
import dev.opsctl.target.kube.KubeTarget.RolloutState;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/** Deployments: set image, rollout status (a watch), history from ReplicaSets, and undo as kubectl does it. */
final class KubeRollouts {
    static final String CHANGE_CAUSE = "kubernetes.io/change-cause";
    /** Labels the controller adds to a ReplicaSet's template; copying them back into the Deployment would pin pods to one RS. */
    static final String TEMPLATE_HASH = "pod-template-hash";

    private final KubeClient kube;

    KubeRollouts(KubeClient kube) {
        this.kube = kube;
    }

    private RollableScalableResource<Deployment> deployment(KubeRef r) {
        return kube.fabric8().apps().deployments().inNamespace(r.namespace()).withName(r.name());
    }

    private Deployment require(KubeRef r) throws TargetException, InterruptedException {
        Deployment d = kube.read(r, () -> deployment(r).get());
        if (d == null) {
            throw KubeErrors.notFound(kube.context(), r);
        }
        return d;
    }

    String setImage(KubeRef r, String container, String image) throws TargetException, InterruptedException {
        AtomicReference<String> before = new AtomicReference<>();
        kube.retryingConflicts(r, () -> deployment(r).get(), d -> {
            var spec = d.getSpec().getTemplate().getSpec();
            List<Container> all = Stream.concat(spec.getContainers().stream(),
                    Objects.requireNonNullElse(spec.getInitContainers(), List.<Container>of()).stream()).toList();
            Optional<Container> found = all.stream().filter(c -> c.getName().equals(container)).findFirst();
            if (found.isEmpty()) {
                throw TargetException.remoteFailed(kube.context(), r.describeIn() + " has no container '" + container
                        + "' (containers: " + String.join(", ", all.stream().map(Container::getName).toList()) + ")");
            }
            before.set(Objects.requireNonNullElse(found.get().getImage(), ""));
            if (before.get().equals(image)) {
                return Optional.empty();
            }
            found.get().setImage(image);
            return Optional.of(d);
        }, (current, changed) -> kube.fabric8().apps().deployments().resource(current).patch(PatchContext.of(PatchType.JSON), changed));
        return before.get();
    }

    /** Watches (a watch, not a poll, opened again if it breaks) until done or failed; on timeout, the last state says why. */
    RolloutState status(KubeRef r, Duration timeout) throws TargetException, InterruptedException {
        Deployment first = require(r);
        AtomicReference<RolloutState> last = new AtomicReference<>(RolloutCheck.evaluate(kube.toMap(first)));
        AtomicBoolean gone = new AtomicBoolean();
        kube.watch().until(r, deployment(r), d -> {
            if (d == null) {
                gone.set(true);
                return true;
            }
            RolloutState s = RolloutCheck.evaluate(kube.toMap(d));
            last.set(s);
            return s.done() || s.failed();
        }, timeout);
        if (gone.get()) {
            throw TargetException.remoteFailed(kube.context(), r.describeIn() + " was deleted during the rollout");
        }
        return last.get();
    }

    List<Revision> history(KubeRef r) throws TargetException, InterruptedException {
        Deployment d = require(r);
        return history(r, d);
    }

    private List<Revision> history(KubeRef r, Deployment d) throws TargetException, InterruptedException {
        List<ReplicaSet> owned = owned(r, d);
        long current = currentRevision(d, owned);
        List<Revision> out = new ArrayList<>();
        for (ReplicaSet rs : owned) {
            long n = revision(rs);
            List<String> images = rs.getSpec().getTemplate().getSpec().getContainers().stream().map(Container::getImage).toList();
            String cause = Optional.ofNullable(rs.getMetadata().getAnnotations()).map(a -> a.get(CHANGE_CAUSE)).orElse("");
            out.add(new Revision(n, rs.getMetadata().getName(), cause, images, n == current));
        }
        out.sort(Comparator.comparingLong(Revision::number));
        return out;
    }

    RolledBack undo(KubeRef r, OptionalLong toRevision) throws TargetException, InterruptedException {
        Deployment d = require(r);
        List<ReplicaSet> owned = owned(r, d);
        long current = currentRevision(d, owned);
        List<Revision> revisions = history(r, d);
        Optional<ReplicaSet> target;
        if (toRevision.isPresent() && toRevision.getAsLong() > 0) {
            target = owned.stream().filter(rs -> revision(rs) == toRevision.getAsLong()).findFirst();
            if (target.isEmpty()) {
                throw TargetException.remoteFailed(kube.context(), "revision " + toRevision.getAsLong() + " of " + r.describeIn()
                        + " not found (revisions: " + String.join(", ", revisions.stream().map(v -> String.valueOf(v.number())).toList()) + ")");
            }
        } else {
            target = owned.stream().filter(rs -> revision(rs) < current).max(Comparator.comparingLong(KubeRollouts::revision));
            if (target.isEmpty()) {
                throw TargetException.remoteFailed(kube.context(), r.describeIn() + " has no revision before " + current + " to roll back to");
            }
        }
        ReplicaSet rs = target.get();
        Revision to = revisions.stream().filter(v -> v.number() == revision(rs)).findFirst().orElseThrow();
        PodTemplateSpec template = withoutHash(rs.getSpec().getTemplate());
        if (withoutHash(d.getSpec().getTemplate()).equals(template)) {
            return new RolledBack(current, to, false);
        }
        d.getSpec().setTemplate(template);
        String cause = Optional.ofNullable(rs.getMetadata().getAnnotations()).map(a -> a.get(CHANGE_CAUSE)).orElse("");
        if (!cause.isEmpty()) {
            Map<String, String> ann = new LinkedHashMap<>(Objects.requireNonNullElse(d.getMetadata().getAnnotations(), Map.of()));
            ann.put(CHANGE_CAUSE, cause);
            d.getMetadata().setAnnotations(ann);
        }
        // the update carries the resourceVersion read above: a concurrent change makes it fail (409) instead of being overwritten
        kube.call(r, () -> kube.fabric8().apps().deployments().resource(d).update());
        return new RolledBack(current, to, true);
    }

    /** The ReplicaSets a Deployment owns (by owner reference; by matching labels when an RS has no owner). */
    private List<ReplicaSet> owned(KubeRef r, Deployment d) throws TargetException, InterruptedException {
        Map<String, String> match = Optional.ofNullable(d.getSpec().getSelector()).map(s -> s.getMatchLabels()).orElse(Map.of());
        List<ReplicaSet> all = kube.read(r, () -> kube.fabric8().apps().replicaSets().inNamespace(r.namespace()).list().getItems());
        List<ReplicaSet> out = new ArrayList<>();
        for (ReplicaSet rs : all) {
            List<OwnerReference> owners = Objects.requireNonNullElse(rs.getMetadata().getOwnerReferences(), List.of());
            boolean mine = owners.isEmpty()
                    ? !match.isEmpty() && Objects.requireNonNullElse(rs.getMetadata().getLabels(), Map.of()).entrySet().containsAll(match.entrySet())
                    : owners.stream().anyMatch(o -> "Deployment".equals(o.getKind()) && r.name().equals(o.getName())
                            && (o.getUid() == null || d.getMetadata().getUid() == null || o.getUid().equals(d.getMetadata().getUid())));
            if (mine && revision(rs) > 0) {
                out.add(rs);
            }
        }
        return out;
    }

    private static long currentRevision(Deployment d, List<ReplicaSet> owned) {
        long fromDeployment = parse(Optional.ofNullable(d.getMetadata().getAnnotations()).map(a -> a.get(RolloutCheck.REVISION)).orElse(""));
        return fromDeployment > 0 ? fromDeployment : owned.stream().mapToLong(KubeRollouts::revision).max().orElse(0);
    }

    static long revision(ReplicaSet rs) {
        return parse(Optional.ofNullable(rs.getMetadata().getAnnotations()).map(a -> a.get(RolloutCheck.REVISION)).orElse(""));
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static PodTemplateSpec withoutHash(PodTemplateSpec t) {
        PodTemplateSpec copy = new io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder(t).build();
        if (copy.getMetadata() != null && copy.getMetadata().getLabels() != null) {
            Map<String, String> labels = new HashMap<>(copy.getMetadata().getLabels());
            labels.remove(TEMPLATE_HASH);
            copy.getMetadata().setLabels(new LinkedHashMap<>(labels));
        }
        return copy;
    }
}
