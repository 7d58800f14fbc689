package dev.opsctl.action.helm;

import dev.opsctl.action.StepResult;
import dev.opsctl.action.StepResult.Outcome;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.kube.KubeRef;
import dev.opsctl.target.kube.KubeTarget;
import dev.opsctl.template.TemplateException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * {@code via: kube}: Helm renders the chart ({@code helm template}), opsctl applies every object through
 * its kube target with Helm's ownership marks (label {@code app.kubernetes.io/managed-by: Helm},
 * annotations {@code meta.helm.sh/release-name} and {@code -namespace}), so a real Helm can adopt them
 * later. No release record is written: the release is the set of objects carrying its annotations.
 */
final class ViaKube {
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String RELEASE_NAME = "meta.helm.sh/release-name";
    static final String RELEASE_NAMESPACE = "meta.helm.sh/release-namespace";
    /** The kinds a release's objects are looked for in (charts' usual kinds; custom resources are not found). */
    static final List<String> KINDS = List.of("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Service", "ConfigMap",
            "Secret", "ServiceAccount", "Ingress", "NetworkPolicy", "HorizontalPodAutoscaler", "PodDisruptionBudget",
            "PersistentVolumeClaim", "Role", "RoleBinding", "ResourceQuota", "LimitRange", "ClusterRole", "ClusterRoleBinding");

    private ViaKube() {}

    static StepResult deploy(HelmCall c, KubeTarget kube, HelmOp.Deploy op) throws TemplateException, TargetException, InterruptedException {
        String release = c.render(op.release());
        List<KubeRef> before = owned(kube, release, c.namespace());
        if (!op.upgrade() && !before.isEmpty()) {
            return c.result(Outcome.FAILED, c.describe(release) + ": cannot install: the release exists (" + before.size()
                    + " objects carry its annotations); use upgrade", HelmSteps.base(release, c.namespace(), "deployed"), "");
        }
        if (op.upgrade() && !op.install() && before.isEmpty()) {
            return c.result(Outcome.FAILED, c.describe(release) + ": cannot upgrade: the release does not exist; write install: true "
                    + "to install it", HelmSteps.base(release, c.namespace(), ""), "");
        }
        String manifest = c.helm().template(c.chart(op.chart(), release));
        if (Manifests.names(manifest).isEmpty()) {
            return c.result(Outcome.FAILED, c.describe(release) + ": the chart rendered no objects", HelmSteps.base(release, c.namespace(), ""), "");
        }
        if (op.createNamespace()) {
            kube.apply("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + c.namespace() + "\"}}", "");
        }
        List<KubeTarget.Applied> applied;
        try {
            applied = kube.apply(manifest, c.namespace(), Map.of(MANAGED_BY, "Helm"),
                    Map.of(RELEASE_NAME, release, RELEASE_NAMESPACE, c.namespace()));
            if (op.waitReady()) {
                waitForDeployments(c, kube, applied, op);
            }
        } catch (TargetException e) {
            if (op.atomic() && before.isEmpty() && !e.unreachable()) {
                // --atomic on an install: leave nothing behind
                List<String> deleted = delete(kube, owned(kube, release, c.namespace()));
                throw new TargetException(e.kind(), e.host(), e.getMessage() + " (atomic: deleted " + deleted.size() + " objects again)", e);
            }
            throw e;
        }
        Set<String> now = new java.util.HashSet<>();
        List<String> names = new ArrayList<>();
        List<Object> rows = new ArrayList<>();
        for (KubeTarget.Applied a : applied) {
            String n = a.kind().toLowerCase(Locale.ROOT) + "/" + a.name();
            now.add(a.kind() + "/" + a.namespace() + "/" + a.name());
            names.add(n);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("kind", a.kind());
            row.put("name", a.name());
            row.put("namespace", a.namespace());
            row.put("action", a.action());
            rows.add(row);
        }
        // an upgrade removes what the new rendering no longer has, as Helm does
        List<KubeRef> stale = before.stream().filter(r -> !now.contains(r.kind() + "/" + r.namespace() + "/" + r.name())).toList();
        List<String> pruned = delete(kube, stale);
        Map<String, Object> data = HelmSteps.base(release, c.namespace(), "deployed");
        data.put("objects", (long) applied.size());
        data.put("names", names);
        data.put("kinds", Manifests.kinds(names));
        data.put("applied", rows);
        data.put("deleted", pruned);
        data.put("manifest", c.ctx().mask(manifest));
        String done = before.isEmpty() ? "installed" : "upgraded";
        boolean changed = !before.isEmpty() && !pruned.isEmpty() || applied.stream().anyMatch(a -> !a.action().equals("unchanged"));
        List<String> lines = applied.stream().map(a -> a.kind().toLowerCase(Locale.ROOT) + "/" + a.name() + " " + a.action()).toList();
        return c.result(changed ? Outcome.CHANGED : Outcome.OK, c.describe(release) + ": " + done + " via kube, " + applied.size()
                + " objects (" + String.join(", ", lines) + ")" + (pruned.isEmpty() ? "" : ", deleted " + String.join(", ", pruned)),
                data, String.join("\n", lines));
    }

    private static void waitForDeployments(HelmCall c, KubeTarget kube, List<KubeTarget.Applied> applied, HelmOp.Deploy op)
            throws TargetException, InterruptedException {
        for (KubeTarget.Applied a : applied) {
            if (a.kind().equals("Deployment")) {
                KubeTarget.RolloutState s = kube.rolloutStatus(KubeRef.named("Deployment", a.name(), a.namespace()), c.cap(op.timeout()));
                if (!s.done()) {
                    throw new TargetException(s.failed() ? TargetException.Kind.REMOTE_FAILED : TargetException.Kind.TIMEOUT, kube.context(),
                            "deployment '" + a.name() + "' in namespace '" + a.namespace() + "' did not become ready: " + s.reason());
                }
            }
        }
    }

    static StepResult uninstall(HelmCall c, KubeTarget kube, HelmOp.Uninstall op) throws TemplateException, TargetException, InterruptedException {
        String release = c.render(op.release());
        List<KubeRef> objects = owned(kube, release, c.namespace());
        Map<String, Object> data = HelmSteps.base(release, c.namespace(), "uninstalled");
        if (objects.isEmpty()) {
            data.put("objects", 0L);
            data.put("deleted", List.of());
            return c.result(Outcome.OK, c.describe(release) + ": nothing to uninstall (no objects carry its annotations)", data, "");
        }
        List<String> deleted = new ArrayList<>();
        for (KubeRef r : objects) {
            if (!kube.delete(r, op.waitGone() ? Optional.of(c.cap(op.timeout())) : Optional.empty(), OptionalLong.empty()).isEmpty()) {
                deleted.add(r.kind().toLowerCase(Locale.ROOT) + "/" + r.name());
            }
        }
        data.put("objects", (long) deleted.size());
        data.put("deleted", deleted);
        return c.result(Outcome.CHANGED, c.describe(release) + ": uninstalled via kube, deleted " + deleted.size() + " objects ("
                + String.join(", ", deleted) + ")", data, String.join("\n", deleted));
    }

    static StepResult status(HelmCall c, KubeTarget kube, HelmOp.Status op) throws TemplateException, TargetException, InterruptedException {
        String release = c.render(op.release());
        List<KubeRef> objects = owned(kube, release, c.namespace());
        List<String> names = objects.stream().map(r -> r.kind().toLowerCase(Locale.ROOT) + "/" + r.name()).toList();
        Map<String, Object> data = HelmSteps.base(release, c.namespace(), objects.isEmpty() ? "not-found" : "deployed");
        data.put("objects", (long) names.size());
        data.put("names", names);
        data.put("kinds", Manifests.kinds(names));
        if (objects.isEmpty()) {
            return c.result(Outcome.FAILED, c.describe(release) + " not found (no objects carry its Helm annotations)", data, "");
        }
        return c.result(Outcome.OK, c.describe(release) + ": deployed via kube, " + names.size() + " objects (" + String.join(", ", names) + ")",
                data, String.join("\n", names));
    }

    /** The objects carrying the release's annotations, in {@link #KINDS} order. */
    static List<KubeRef> owned(KubeTarget kube, String release, String namespace) throws TargetException, InterruptedException {
        List<KubeRef> out = new ArrayList<>();
        for (String kind : KINDS) {
            for (Map<String, Object> o : kube.list(KubeRef.selected(kind, MANAGED_BY + "=Helm", namespace))) {
                Map<?, ?> ann = at(o, "metadata", "annotations");
                if (release.equals(ann.get(RELEASE_NAME)) && namespace.equals(ann.get(RELEASE_NAMESPACE))) {
                    Map<?, ?> meta = at(o, "metadata");
                    out.add(KubeRef.named(kind, String.valueOf(meta.get("name")), meta.get("namespace") == null ? "" : String.valueOf(meta.get("namespace"))));
                }
            }
        }
        return out;
    }

    private static List<String> delete(KubeTarget kube, List<KubeRef> refs) throws TargetException, InterruptedException {
        List<String> out = new ArrayList<>();
        for (KubeRef r : refs) {
            if (!kube.delete(r, Optional.empty(), OptionalLong.empty()).isEmpty()) {
                out.add(r.kind().toLowerCase(Locale.ROOT) + "/" + r.name());
            }
        }
        return out;
    }

    private static Map<?, ?> at(Map<String, Object> o, String... path) {
        Object cur = o;
        for (String k : path) {
            cur = cur instanceof Map<?, ?> m ? m.get(k) : null;
        }
        return cur instanceof Map<?, ?> m ? m : Map.of();
    }
}
