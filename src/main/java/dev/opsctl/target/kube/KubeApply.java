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
                throw KubeErrors.partly(kube.context(), "apply", "applied", out.stream().map(a -> a.kind().toLowerCase(java.util.Locale.ROOT)
                        + " '" + a.name() + "' " + a.action()).toList(), items.size(), item.getKind().toLowerCase(java.util.Locale.ROOT) + " '"
                        + item.getMetadata().getName() + "'" + (namespaced(item) ? " in namespace '" + item.getMetadata().getNamespace() + "'" : ""), e);
            }
        }
        return out;
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
