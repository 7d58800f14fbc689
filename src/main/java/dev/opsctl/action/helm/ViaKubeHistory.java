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
import java.util.Map;
import java.util.Optional;

/** history and rollback of a {@code via: kube} release, from its revision records ({@link KubeReleaseRecords}). */
final class ViaKubeHistory {
    private ViaKubeHistory() {}

    static StepResult history(HelmCall c, KubeTarget kube, HelmOp.History op) throws TemplateException, TargetException, InterruptedException {
        String release = c.render(op.release());
        List<KubeReleaseRecords.Record> records = new KubeReleaseRecords(kube, release, c.namespace()).list();
        if (records.isEmpty()) {
            return c.result(Outcome.FAILED, c.describe(release) + ": no revisions recorded (not installed via kube, or uninstalled)",
                    HelmSteps.base(release, c.namespace(), "not-found"), "");
        }
        List<Object> rows = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (KubeReleaseRecords.Record r : records) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("revision", r.version());
            row.put("status", r.status());
            row.put("chart", label(r));
            row.put("app_version", r.appVersion());
            row.put("description", r.description());
            row.put("updated", r.updated());
            row.put("values_sha256", r.valuesDigest());
            rows.add(row);
            lines.add(r.version() + "\t" + r.status() + "\t" + label(r) + "\t" + r.description());
        }
        KubeReleaseRecords.Record last = records.get(records.size() - 1);
        Map<String, Object> data = HelmSteps.base(release, c.namespace(), last.status());
        data.put("revision", last.version());
        data.put("revisions", rows);
        return c.result(Outcome.OK, c.describe(release) + ": " + records.size() + " revisions, current " + last.version() + " ("
                + last.status() + ")", data, String.join("\n", lines));
    }

    /**
     * Re-applies a recorded revision's manifest (0: the one before the current), deletes the release's objects that
     * manifest lacks, and records a new revision "Rollback to N", as {@code helm rollback} does.
     */
    static StepResult rollback(HelmCall c, KubeTarget kube, HelmOp.Rollback op) throws TemplateException, TargetException, InterruptedException {
        String release = c.render(op.release());
        KubeReleaseRecords records = new KubeReleaseRecords(kube, release, c.namespace());
        List<KubeReleaseRecords.Record> history = records.list();
        Map<String, Object> failed = HelmSteps.base(release, c.namespace(), "");
        if (history.isEmpty()) {
            return c.result(Outcome.FAILED, c.describe(release) + ": cannot roll back: no revisions recorded (not installed via kube, "
                    + "or uninstalled)", failed, "");
        }
        long current = history.get(history.size() - 1).version();
        long target = op.revision() > 0 ? op.revision() : current - 1;
        Optional<KubeReleaseRecords.Record> to = history.stream().filter(r -> r.version() == target).findFirst();
        if (to.isEmpty() || to.get().manifest().isEmpty()) {
            String have = String.join(", ", history.stream().map(r -> Long.toString(r.version())).toList());
            return c.result(Outcome.FAILED, c.describe(release) + ": cannot roll back: " + (target < 1 ? "revision " + current
                    + " is the first, there is none before it" : to.isEmpty() ? "no revision " + target + " (recorded: " + have + ")"
                    : "the record of revision " + target + " holds no manifest"), failed, "");
        }
        List<KubeRef> before = ViaKube.owned(kube, release, c.namespace());
        ViaKube.Applied a = ViaKube.apply(c, kube, release, to.get().manifest(), before, op.waitReady(), op.timeout(), false);
        KubeReleaseRecords.Record t = to.get();
        long revision = records.record(history, new ChartMeta(t.chart(), t.chartVersion(), t.appVersion()), t.valuesDigest(), List.of(),
                List.of(), "Rollback to " + target, t.manifest());
        Map<String, Object> data = a.data(c, release, revision, t.manifest());
        data.put("chart", label(t));
        data.put("app_version", t.appVersion());
        return c.result(Outcome.CHANGED, c.describe(release) + ": rolled back via kube to revision " + target + " (" + label(t)
                + "), now revision " + revision + ", " + a.summary(), data, String.join("\n", a.lines()));
    }

    private static String label(KubeReleaseRecords.Record r) {
        return new ChartMeta(r.chart(), r.chartVersion(), r.appVersion()).label();
    }
}
