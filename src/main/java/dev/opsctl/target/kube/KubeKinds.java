package dev.opsctl.target.kube;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The built-in kinds opsctl knows without API discovery, with kubectl's short names and plurals, so
 * a runbook may write {@code Deployment}, {@code deployment}, {@code deployments} or {@code deploy}.
 * Other kinds (custom resources) need {@code api_version}.
 */
public final class KubeKinds {
    /** A kind's canonical name, API group/version, and whether its objects live in a namespace. */
    public record Kind(String name, String apiVersion, boolean namespaced) {}

    private static final Map<String, Kind> BY_ALIAS = new LinkedHashMap<>();

    static {
        add("v1", true, "Pod", "po");
        add("v1", true, "Service", "svc");
        add("v1", true, "ConfigMap", "cm");
        add("v1", true, "Secret");
        add("v1", true, "ServiceAccount", "sa");
        add("v1", true, "Event", "ev");
        add("v1", true, "PersistentVolumeClaim", "pvc");
        add("v1", true, "Endpoints", "ep");
        add("v1", true, "ResourceQuota", "quota");
        add("v1", true, "LimitRange", "limits");
        add("v1", false, "Namespace", "ns");
        add("v1", false, "Node", "no");
        add("v1", false, "PersistentVolume", "pv");
        add("apps/v1", true, "Deployment", "deploy");
        add("apps/v1", true, "ReplicaSet", "rs");
        add("apps/v1", true, "StatefulSet", "sts");
        add("apps/v1", true, "DaemonSet", "ds");
        add("batch/v1", true, "Job");
        add("batch/v1", true, "CronJob", "cj");
        add("networking.k8s.io/v1", true, "Ingress", "ing");
        add("networking.k8s.io/v1", true, "NetworkPolicy", "netpol");
        add("policy/v1", true, "PodDisruptionBudget", "pdb");
        add("autoscaling/v2", true, "HorizontalPodAutoscaler", "hpa");
        add("coordination.k8s.io/v1", true, "Lease");
        add("rbac.authorization.k8s.io/v1", true, "Role");
        add("rbac.authorization.k8s.io/v1", true, "RoleBinding");
        add("rbac.authorization.k8s.io/v1", false, "ClusterRole");
        add("rbac.authorization.k8s.io/v1", false, "ClusterRoleBinding");
        add("node.k8s.io/v1", false, "RuntimeClass");
        add("storage.k8s.io/v1", false, "StorageClass", "sc");
    }

    private KubeKinds() {}

    private static void add(String apiVersion, boolean namespaced, String kind, String... shortNames) {
        Kind k = new Kind(kind, apiVersion, namespaced);
        String lower = kind.toLowerCase(Locale.ROOT);
        BY_ALIAS.put(lower, k);
        BY_ALIAS.put(lower.endsWith("s") ? lower + "es" : lower + "s", k);
        for (String s : shortNames) {
            BY_ALIAS.put(s, k);
        }
    }

    /** The kind written as {@code text} (any case, plural or short name), if opsctl knows it. */
    public static Optional<Kind> find(String text) {
        return Optional.ofNullable(BY_ALIAS.get(text.toLowerCase(Locale.ROOT)));
    }

    /** Every name a kind may be written as, for did-you-mean hints. */
    public static Set<String> names() {
        return BY_ALIAS.keySet();
    }
}
