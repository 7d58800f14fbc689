package dev.opsctl.action.helm;

import dev.opsctl.action.StepResult;
import dev.opsctl.action.StepResult.Outcome;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.helm.HelmTarget;
import dev.opsctl.target.kube.KubeRef;
import dev.opsctl.target.kube.KubeTarget;
import dev.opsctl.template.TemplateException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * later. The release is the set of objects carrying its annotations; each install, upgrade and rollback also
 * stores a revision record ({@link KubeReleaseRecords}), which history and rollback read.
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
        KubeReleaseRecords records = new KubeReleaseRecords(kube, release, c.namespace());
        List<KubeReleaseRecords.Record> history = records.list();
        boolean exists = !before.isEmpty() || !history.isEmpty();
        if (!op.upgrade() && exists) {
            return c.result(Outcome.FAILED, c.describe(release) + ": cannot install: the release exists (" + before.size()
                    + " objects carry its annotations, " + history.size() + (history.size() == 1 ? " revision" : " revisions") + " recorded); use upgrade",
                    HelmSteps.base(release, c.namespace(), "deployed"), "");
        }
        if (op.upgrade() && !op.install() && !exists) {
            return c.result(Outcome.FAILED, c.describe(release) + ": cannot upgrade: the release does not exist; write install: true "
                    + "to install it", HelmSteps.base(release, c.namespace(), ""), "");
        }
        HelmTarget.Chart chart = c.chart(op.chart(), release);
        String manifest = c.helm().template(chart);
        if (Manifests.names(manifest).isEmpty()) {
            return c.result(Outcome.FAILED, c.describe(release) + ": the chart rendered no objects", HelmSteps.base(release, c.namespace(), ""), "");
        }
        if (op.createNamespace()) {
            kube.apply("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + c.namespace() + "\"}}", "");
        }
        Applied a = apply(c, kube, release, manifest, before, op.waitReady(), op.timeout(), op.atomic());
        long revision = records.record(history, ChartMeta.of(chart.chart()), KubeReleaseRecords.digest(chart),
                chart.valuesFiles().stream().map(Path::toString).toList(), List.copyOf(new java.util.TreeSet<>(chart.set().keySet())),
                exists ? "Upgrade complete" : "Install complete", manifest);
        Map<String, Object> data = a.data(c, release, revision, manifest);
        String done = exists ? "upgraded" : "installed";
        return c.result(a.changed(!before.isEmpty()) ? Outcome.CHANGED : Outcome.OK, c.describe(release) + ": " + done + " via kube, revision "
                + revision + ", " + a.summary(), data, String.join("\n", a.lines()));
    }

    /** What applying a release's manifest did: the objects applied, and those of the release the manifest no longer has, deleted. */
    record Applied(List<KubeTarget.Applied> applied, List<String> pruned) {
        List<String> names() {
            return applied.stream().map(a -> a.kind().toLowerCase(Locale.ROOT) + "/" + a.name()).toList();
        }

        List<String> lines() {
            return applied.stream().map(a -> a.kind().toLowerCase(Locale.ROOT) + "/" + a.name() + " " + a.action()).toList();
        }

        boolean changed(boolean existed) {
            return existed && !pruned.isEmpty() || applied.stream().anyMatch(a -> !a.action().equals("unchanged"));
        }

        String summary() {
            return applied.size() + " objects (" + String.join(", ", lines()) + ")" + (pruned.isEmpty() ? "" : ", deleted " + String.join(", ", pruned));
        }

        Map<String, Object> data(HelmCall c, String release, long revision, String manifest) {
            List<Object> rows = new ArrayList<>();
            for (KubeTarget.Applied a : applied) {
                rows.add(a.row());
            }
            Map<String, Object> data = HelmSteps.base(release, c.namespace(), "deployed");
            data.put("revision", revision);
            data.put("objects", (long) applied.size());
            data.put("names", names());
            data.put("kinds", Manifests.kinds(names()));
            data.put("applied", rows);
            data.put("deleted", pruned);
            data.put("manifest", c.ctx().mask(manifest));
            return data;
        }
    }

    /**
     * Applies a release's manifest with Helm's ownership marks, waits for its Deployments when asked, and deletes
     * the release's objects ({@code before}) the manifest no longer has, as Helm does. {@code atomic} on a first
     * install deletes what was applied when it fails.
     */
    static Applied apply(HelmCall c, KubeTarget kube, String release, String manifest, List<KubeRef> before, boolean waitReady,
            Duration timeout, boolean atomic) throws TargetException, InterruptedException {
        List<KubeTarget.Applied> applied;
        try {
            applied = kube.apply(manifest, c.namespace(), Map.of(MANAGED_BY, "Helm"),
                    Map.of(RELEASE_NAME, release, RELEASE_NAMESPACE, c.namespace()));
            if (waitReady) {
                waitForDeployments(c, kube, applied, timeout);
            }
        } catch (TargetException e) {
            if (atomic && before.isEmpty() && !e.unreachable()) {
                // --atomic on an install: leave nothing behind
                String cleanUp;
                try {
                    cleanUp = "deleted " + delete(kube, owned(kube, release, c.namespace())).size() + " objects again";
                } catch (TargetException notCleaned) {
                    // the failure that ended the install stays the step's: a clean-up that could not reach the API server
                    // must not turn an install written in part into "unreachable", which says nothing was done
                    cleanUp = "could not delete what was applied: " + notCleaned.getMessage();
                }
                throw new TargetException(e.kind(), e.host(), e.getMessage() + " (atomic: " + cleanUp + ")", e).withLostCommand(e.lostCommand());
            }
            throw e;
        }
        Set<String> now = new java.util.HashSet<>();
        for (KubeTarget.Applied a : applied) {
            now.add(a.kind() + "/" + a.namespace() + "/" + a.name());
        }
        List<KubeRef> stale = before.stream().filter(r -> !now.contains(r.kind() + "/" + r.namespace() + "/" + r.name())).toList();
        return new Applied(applied, delete(kube, stale));
    }

    private static void waitForDeployments(HelmCall c, KubeTarget kube, List<KubeTarget.Applied> applied, Duration timeout)
            throws TargetException, InterruptedException {
        for (KubeTarget.Applied a : applied) {
            if (a.kind().equals("Deployment")) {
                KubeTarget.RolloutState s = kube.rolloutStatus(KubeRef.named("Deployment", a.name(), a.namespace()), c.cap(timeout));
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
        KubeReleaseRecords records = new KubeReleaseRecords(kube, release, c.namespace());
        // as helm uninstall without --keep-history: the records go with the objects
        int recordsDeleted = records.deleteAll(records.list());
        Map<String, Object> data = HelmSteps.base(release, c.namespace(), "uninstalled");
        if (objects.isEmpty()) {
            data.put("objects", 0L);
            data.put("deleted", List.of());
            return c.result(recordsDeleted == 0 ? Outcome.OK : Outcome.CHANGED, c.describe(release) + ": nothing to uninstall (no objects carry "
                    + "its annotations)" + (recordsDeleted == 0 ? "" : ", deleted " + recordsDeleted + " revision records"), data, "");
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
                + String.join(", ", deleted) + ")" + (recordsDeleted == 0 ? "" : " and " + recordsDeleted + " revision records"), data,
                String.join("\n", deleted));
    }

    static StepResult status(HelmCall c, KubeTarget kube, HelmOp.Status op) throws TemplateException, TargetException, InterruptedException {
        String release = c.render(op.release());
        List<KubeRef> objects = owned(kube, release, c.namespace());
        List<String> names = objects.stream().map(r -> r.kind().toLowerCase(Locale.ROOT) + "/" + r.name()).toList();
        Optional<KubeReleaseRecords.Record> current = KubeReleaseRecords.latest(new KubeReleaseRecords(kube, release, c.namespace()).list());
        Map<String, Object> data = HelmSteps.base(release, c.namespace(), objects.isEmpty() ? "not-found" : "deployed");
        data.put("revision", current.map(KubeReleaseRecords.Record::version).orElse(0L));
        current.ifPresent(r -> data.put("chart", r.chart()));
        current.ifPresent(r -> data.put("app_version", r.appVersion()));
        data.put("objects", (long) names.size());
        data.put("names", names);
        data.put("kinds", Manifests.kinds(names));
        if (objects.isEmpty()) {
            return c.result(Outcome.FAILED, c.describe(release) + " not found (no objects carry its Helm annotations)", data, "");
        }
        return c.result(Outcome.OK, c.describe(release) + ": deployed via kube" + current.map(r -> ", revision " + r.version()).orElse("")
                + ", " + names.size() + " objects (" + String.join(", ", names) + ")",
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

    static List<String> delete(KubeTarget kube, List<KubeRef> refs) throws TargetException, InterruptedException {
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
