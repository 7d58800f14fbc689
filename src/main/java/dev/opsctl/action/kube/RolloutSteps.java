package dev.opsctl.action.kube;

import dev.opsctl.action.StepResult;
import dev.opsctl.action.StepResult.Outcome;
import dev.opsctl.source.Durations;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.kube.KubeRef;
import dev.opsctl.target.kube.KubeTarget;
import dev.opsctl.template.TemplateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** set_image, rollout_status, rollout_history, rollout_undo: kubectl's Deployment commands. */
final class RolloutSteps {
    private RolloutSteps() {}

    private static KubeRef deployment(KubeCall c, String name) throws TemplateException {
        return c.inNs(new KubeRef("", "Deployment", c.ctx().render(name), c.namespace(), ""));
    }

    static StepResult setImage(KubeCall c, KubeOp.SetImage op) throws TemplateException, TargetException, InterruptedException {
        KubeRef ref = deployment(c, op.deployment());
        String container = c.ctx().render(op.container());
        String image = c.ctx().render(op.image());
        String before = c.kube().setImage(ref, container, image);
        Map<String, Object> data = Map.of("previous_image", before, "image", image);
        if (before.equals(image)) {
            return c.result(Outcome.OK, ref.describeIn() + ": container '" + container + "' already runs '" + image + "'", data, "");
        }
        return c.result(Outcome.CHANGED, ref.describeIn() + ": container '" + container + "' image '" + before + "' -> '" + image + "'", data, "");
    }

    static StepResult status(KubeCall c, KubeOp.RolloutStatus op) throws TemplateException, TargetException, InterruptedException {
        KubeRef ref = deployment(c, op.deployment());
        Duration timeout = c.cap(op.timeout());
        c.ctx().progress("watching the rollout of " + ref.describeIn() + " (up to " + Durations.format(timeout) + ")");
        KubeTarget.RolloutState s = c.kube().rolloutStatus(ref, timeout);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("ready", s.done());
        data.put("reason", s.reason());
        data.put("replicas", s.replicas());
        data.put("updated_replicas", s.updated());
        data.put("available_replicas", s.available());
        data.put("ready_replicas", s.ready());
        data.put("revision", s.revision());
        String counts = " (" + s.available() + " of " + s.replicas() + " available, revision " + s.revision() + ")";
        if (s.done()) {
            return c.result(Outcome.OK, ref.describeIn() + " successfully rolled out" + counts, data, "");
        }
        if (s.failed()) {
            return c.result(Outcome.FAILED, "rollout of " + ref.describeIn() + " failed: " + s.reason(), data, "");
        }
        return c.result(Outcome.TIMED_OUT, "rollout of " + ref.describeIn() + " not complete after " + Durations.format(timeout) + ": "
                + s.reason(), data, "");
    }

    static StepResult history(KubeCall c, KubeOp.RolloutHistory op) throws TemplateException, TargetException, InterruptedException {
        KubeRef ref = deployment(c, op.deployment());
        List<KubeTarget.Revision> revisions = c.kube().rolloutHistory(ref);
        List<Object> rows = new ArrayList<>();
        StringBuilder table = new StringBuilder("REVISION  CHANGE-CAUSE  IMAGES");
        long current = 0;
        for (KubeTarget.Revision r : revisions) {
            rows.add(row(r));
            table.append('\n').append(r.number()).append(r.current() ? "*" : "").append("  ")
                    .append(r.changeCause().isEmpty() ? "<none>" : r.changeCause()).append("  ").append(String.join(",", r.images()));
            if (r.current()) {
                current = r.number();
            }
        }
        Map<String, Object> data = Map.of("revisions", rows, "revision", current, "count", (long) revisions.size());
        return c.result(Outcome.OK, ref.describeIn() + ": " + revisions.size() + " revisions, current " + current, data, table.toString());
    }

    private static Map<String, Object> row(KubeTarget.Revision r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("revision", r.number());
        m.put("replicaset", r.replicaSet());
        m.put("change_cause", r.changeCause());
        m.put("images", r.images());
        m.put("current", r.current());
        return m;
    }

    static StepResult undo(KubeCall c, KubeOp.RolloutUndo op) throws TemplateException, TargetException, InterruptedException {
        KubeRef ref = deployment(c, op.deployment());
        String to = op.toRevision().isPresent() ? c.ctx().render(op.toRevision().get()).strip() : "";
        OptionalLong revision;
        try {
            revision = to.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(to));
        } catch (NumberFormatException e) {
            return c.result(Outcome.FAILED, "to_revision '" + to + "' is not a revision number", Map.of(), "");
        }
        if (revision.isPresent() && revision.getAsLong() < 0) {
            return c.result(Outcome.FAILED, "to_revision must be 0 (the previous revision) or more, not " + to, Map.of(), "");
        }
        KubeTarget.RolledBack rb = c.kube().rolloutUndo(ref, revision);
        Map<String, Object> data = Map.of("revision", rb.to().number(), "from_revision", rb.from(), "images", rb.to().images());
        if (!rb.changed()) {
            return c.result(Outcome.OK, ref.describeIn() + ": skipped rollback, revision " + rb.to().number()
                    + "'s template is already live", data, "");
        }
        return c.result(Outcome.CHANGED, ref.describeIn() + " rolled back from revision " + rb.from() + " to " + rb.to().number()
                + " (" + String.join(", ", rb.to().images()) + ")", data, "");
    }
}
