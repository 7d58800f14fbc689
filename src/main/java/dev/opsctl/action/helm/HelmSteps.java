package dev.opsctl.action.helm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsctl.action.StepResult;
import dev.opsctl.action.StepResult.Outcome;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.helm.HelmTarget;
import dev.opsctl.target.kube.KubeTarget;
import dev.opsctl.template.TemplateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** template and lint (offline), and the {@code via: helm} operations on a cluster's Helm releases. */
final class HelmSteps {
    private HelmSteps() {}

    static StepResult template(HelmCall c, HelmOp.Template op) throws TemplateException, TargetException {
        String release = c.render(op.release());
        String manifest = c.helm().template(c.chart(op.chart(), release));
        List<String> names = Manifests.names(manifest);
        Map<String, Object> data = base(release, c.namespace(), "template");
        data.put("manifest", c.ctx().mask(manifest));
        data.put("objects", (long) names.size());
        data.put("names", names);
        data.put("kinds", Manifests.kinds(names));
        return c.result(Outcome.OK, "chart '" + op.chart().chart() + "' as " + c.describe(release) + ": rendered " + names.size()
                + " objects (" + String.join(", ", names) + ")", data, manifest);
    }

    static StepResult lint(HelmCall c, HelmOp.Lint op) throws TemplateException, TargetException {
        HelmTarget.Lint l = c.helm().lint(c.chart(op.chart(), "release-name"));
        List<String> messages = l.messages().stream().map(m -> c.ctx().mask(m)).toList();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("status", l.failed() ? "failed" : "passed");
        data.put("messages", messages);
        List<String> errors = messages.stream().filter(m -> m.startsWith("[ERROR]")).toList();
        String what = "chart '" + op.chart().chart() + "'";
        if (l.failed()) {
            return c.result(Outcome.FAILED, what + " failed lint: " + String.join("; ", errors.isEmpty() ? messages : errors), data,
                    String.join("\n", messages));
        }
        return c.result(Outcome.OK, what + " passed lint" + (messages.isEmpty() ? "" : " (" + messages.size() + " notes)"), data,
                String.join("\n", messages));
    }

    static StepResult deploy(HelmCall c, HelmTarget.Cluster k, HelmOp.Deploy op) throws TemplateException, TargetException {
        String release = c.render(op.release());
        HelmTarget.Deploy d = new HelmTarget.Deploy(c.chart(op.chart(), release), op.upgrade(), op.install(), op.createNamespace(),
                op.waitReady(), op.atomic(), c.cap(op.timeout()));
        HelmTarget.Release r = c.helm().deploy(k, d);
        Map<String, Object> data = fields(r, release, c.namespace());
        String done = op.upgrade() ? (r.revision() == 1 ? "installed" : "upgraded") : "installed";
        return c.result(Outcome.CHANGED, c.describe(release) + ": " + done + ", revision " + r.revision() + " (" + r.status() + ", "
                + r.chart() + ")", data, "");
    }

    static StepResult uninstall(HelmCall c, HelmTarget.Cluster k, HelmOp.Uninstall op) throws TemplateException, TargetException {
        String release = c.render(op.release());
        String said = c.helm().uninstall(k, release, c.namespace());
        Map<String, Object> data = base(release, c.namespace(), "uninstalled");
        return c.result(Outcome.CHANGED, c.describe(release) + ": uninstalled", data, said);
    }

    static StepResult status(HelmCall c, HelmTarget.Cluster k, HelmOp.Status op) throws TemplateException, TargetException {
        String release = c.render(op.release());
        HelmTarget.Release r = c.helm().status(k, release, c.namespace());
        Map<String, Object> data = fields(r, release, c.namespace());
        Outcome o = r.status().equals("deployed") ? Outcome.OK : Outcome.FAILED;
        return c.result(o, c.describe(release) + ": " + r.status() + ", revision " + r.revision() + " (" + r.chart() + ")", data, "");
    }

    static StepResult history(HelmCall c, HelmTarget.Cluster k, HelmOp.History op) throws TemplateException, TargetException {
        String release = c.render(op.release());
        List<HelmTarget.Revision> revs = c.helm().history(k, release, c.namespace());
        List<Object> rows = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (HelmTarget.Revision r : revs) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("revision", r.number());
            row.put("status", r.status());
            row.put("chart", r.chart());
            row.put("app_version", r.appVersion());
            row.put("description", r.description());
            row.put("updated", r.updated());
            rows.add(row);
            lines.add(r.number() + "\t" + r.status() + "\t" + r.chart() + "\t" + r.description());
        }
        HelmTarget.Revision last = revs.isEmpty() ? null : revs.get(revs.size() - 1);
        Map<String, Object> data = base(release, c.namespace(), last == null ? "" : last.status());
        data.put("revision", last == null ? 0L : last.number());
        data.put("revisions", rows);
        return c.result(Outcome.OK, c.describe(release) + ": " + revs.size() + " revisions"
                + (last == null ? "" : ", current " + last.number() + " (" + last.status() + ")"), data, String.join("\n", lines));
    }

    /**
     * What {@code helm rollback} does, with the calls helm-java 0.0.21 has: reads the target revision's release record
     * (Secret {@code sh.helm.release.v1.<release>.v<N>}) through the kube target, writes its chart back to a private
     * temporary directory and upgrades the release to it with that revision's user-supplied values. Unlike Helm's
     * rollback, the new revision's description is Helm's "Upgrade complete", not "Rollback to N", and the manifest is
     * rendered again rather than copied (the same, unless templates use lookup, random or the cluster's capabilities).
     */
    static StepResult rollback(HelmCall c, KubeTarget kube, HelmTarget.Cluster k, HelmOp.Rollback op)
            throws TemplateException, TargetException, InterruptedException {
        String release = c.render(op.release());
        List<Long> versions = HelmReleaseSecret.versions(kube, release, c.namespace());
        Map<String, Object> failed = base(release, c.namespace(), "");
        if (versions.isEmpty()) {
            return c.result(Outcome.FAILED, c.describe(release) + ": cannot roll back: Helm has no release records for it", failed, "");
        }
        long current = versions.get(versions.size() - 1);
        long target = op.revision() > 0 ? op.revision() : current - 1;
        Optional<JsonNode> json = target < 1 ? Optional.empty() : HelmReleaseSecret.read(kube, release, c.namespace(), target);
        if (json.isEmpty()) {
            return c.result(Outcome.FAILED, c.describe(release) + ": cannot roll back: " + (target < 1 ? "revision " + current
                    + " is the first, there is none before it" : "no revision " + target + " (recorded: "
                    + String.join(", ", versions.stream().map(String::valueOf).toList()) + ")"), failed, "");
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("opsctl-helm-rollback", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path chart = ChartRebuild.write(json.get(), dir.resolve("chart"));
            Path config = ChartRebuild.writeConfig(json.get(), dir);
            HelmTarget.Deploy d = new HelmTarget.Deploy(new HelmTarget.Chart(chart, release, c.namespace(), List.of(config), Map.of()),
                    true, false, false, op.waitReady(), false, c.cap(op.timeout()));
            HelmTarget.Release r = c.helm().deploy(k, d);
            Map<String, Object> data = fields(r, release, c.namespace());
            return c.result(Outcome.CHANGED, c.describe(release) + ": rolled back to revision " + target + " (" + r.chart() + "), now revision "
                    + r.revision() + " (" + r.status() + ")", data, "");
        } catch (IOException e) {
            return c.result(Outcome.FAILED, c.describe(release) + ": cannot roll back to revision " + target + ": " + e.getMessage(), failed, "");
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover 0700 temporary directory is harmless; the rollback's outcome matters more
        }
    }

    private static Map<String, Object> fields(HelmTarget.Release r, String release, String namespace) {
        Map<String, Object> data = base(r.name().isEmpty() ? release : r.name(), r.namespace().isEmpty() ? namespace : r.namespace(), r.status());
        data.put("revision", r.revision());
        data.put("chart", r.chart());
        data.put("app_version", r.appVersion());
        return data;
    }

    static Map<String, Object> base(String release, String namespace, String status) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("release", release);
        data.put("namespace", namespace);
        data.put("status", status);
        data.put("revision", 0L);
        return data;
    }
}
