package dev.opsctl.target.kube;

import dev.opsctl.target.TargetException;
import dev.opsctl.target.kube.KubeTarget.Applied;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code apply}: server-side apply with field manager {@code opsctl} where the server supports it;
 * where it answers 415 (no apply-patch media type, as fabric8's mock server and very old servers)
 * or 404 on the apply call, create-or-replace, remembered for the rest of the client's life.
 */
final class KubeApply {
    static final String FIELD_MANAGER = "opsctl";

    private final KubeClient kube;
    private final AtomicBoolean serverSide = new AtomicBoolean(true);

    KubeApply(KubeClient kube) {
        this.kube = kube;
    }

    List<Applied> apply(String manifest, String namespace, Map<String, String> labels, Map<String, String> annotations)
            throws TargetException, InterruptedException {
        List<HasMetadata> items = parse(manifest);
        List<Applied> out = new ArrayList<>();
        for (HasMetadata item : items) {
            if (item.getMetadata() == null || item.getMetadata().getName() == null || item.getMetadata().getName().isBlank()) {
                throw TargetException.remoteFailed(kube.context(), "a " + item.getKind() + " in the manifest has no metadata.name");
            }
            if (namespaced(item)) {
                if (item.getMetadata().getNamespace() == null || item.getMetadata().getNamespace().isBlank()) {
                    item.getMetadata().setNamespace(namespace);
                }
            }
            if (!labels.isEmpty()) {
                Map<String, String> m = new LinkedHashMap<>(Objects.requireNonNullElse(item.getMetadata().getLabels(), Map.of()));
                m.putAll(labels);
                item.getMetadata().setLabels(m);
            }
            if (!annotations.isEmpty()) {
                Map<String, String> m = new LinkedHashMap<>(Objects.requireNonNullElse(item.getMetadata().getAnnotations(), Map.of()));
                m.putAll(annotations);
                item.getMetadata().setAnnotations(m);
            }
            try {
                out.add(applyOne(item));
            } catch (TargetException e) {
                throw out.isEmpty() || !e.unreachable() ? e : partlyApplied(out, items.size(), item, e);
            }
        }
        return out;
    }

    /**
     * An API server that could not be reached, or refused the credentials, once some objects were written: not
     * "unreachable", which says nothing was done. A refusal (not sent) is cut short, the change made in part, as a lost
     * connection; a rejection (an answer) is a failure.
     */
    private TargetException partlyApplied(List<Applied> done, int total, HasMetadata next, TargetException e) {
        String applied = String.join(", ", done.stream().map(a -> a.kind().toLowerCase(java.util.Locale.ROOT) + " '" + a.name() + "' "
                + a.action()).toList());
        String nextRef = next.getKind().toLowerCase(java.util.Locale.ROOT) + " '" + next.getMetadata().getName() + "'"
                + (namespaced(next) ? " in namespace '" + next.getMetadata().getNamespace() + "'" : "");
        int left = total - done.size();
        String notApplied = nextRef + (left == 1 ? " was" : " and the " + (left - 1) + (left == 2 ? " object" : " objects") + " after it were")
                + " not applied";
        TargetException.Kind kind = e.kind() == TargetException.Kind.UNREACHABLE ? TargetException.Kind.CONNECTION_LOST
                : TargetException.Kind.REMOTE_FAILED;
        return new TargetException(kind, kube.context(), "kube context '" + kube.context() + "': the apply was cut short after "
                + done.size() + " of " + total + " objects (" + applied + "): " + notApplied + ": " + e.getMessage(), e);
    }

    /** Typed kinds know their scope; for generic ones (custom resources) ask the table, else assume namespaced. */
    private static boolean namespaced(HasMetadata item) {
        if (!(item instanceof GenericKubernetesResource)) {
            return item instanceof Namespaced;
        }
        return KubeKinds.find(item.getKind()).map(KubeKinds.Kind::namespaced).orElse(true);
    }

    private List<HasMetadata> parse(String manifest) throws TargetException {
        try {
            List<HasMetadata> items = kube.fabric8().load(new ByteArrayInputStream(manifest.getBytes(StandardCharsets.UTF_8))).items();
            if (items.isEmpty()) {
                throw TargetException.remoteFailed(kube.context(), "the manifest holds no objects");
            }
            return items;
        } catch (RuntimeException e) {
            // fabric8 and its YAML parser throw several unchecked types for a bad document
            throw TargetException.remoteFailed(kube.context(), "the manifest is not valid Kubernetes YAML: "
                    + Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName()).lines().findFirst().orElse(""));
        }
    }

    private Applied applyOne(HasMetadata item) throws TargetException, InterruptedException {
        KubeRef ref = new KubeRef(item.getApiVersion(), item.getKind(), item.getMetadata().getName(),
                Optional.ofNullable(item.getMetadata().getNamespace()).orElse(""), "");
        HasMetadata before = kube.read(ref, () -> kube.fabric8().resource(item).get());
        String rvBefore = before == null ? "" : before.getMetadata().getResourceVersion();
        HasMetadata after = null;
        boolean ssa = serverSide.get();
        if (ssa) {
            try {
                after = kube.fabric8().resource(item).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 415 && e.getCode() != 404) {
                    throw KubeErrors.translateChange(kube.context(), Optional.of(ref), e);
                }
                serverSide.set(false);
                ssa = false;
            }
        }
        if (!ssa) {
            item.getMetadata().setResourceVersion(null);
            after = kube.call(ref, () -> kube.fabric8().resource(item).createOr(NonDeletingOperation::update));
        }
        String rvAfter = after == null ? "" : after.getMetadata().getResourceVersion();
        String action = before == null ? "created" : rvBefore.equals(rvAfter) ? "unchanged" : "configured";
        return new Applied(item.getKind(), ref.name(), ref.namespace(), action, ssa);
    }
}
