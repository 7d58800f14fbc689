package dev.opsctl.action.kube;

import dev.opsctl.action.StepResult;
import dev.opsctl.action.StepResult.Outcome;
import dev.opsctl.source.Durations;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.kube.KubeErrors;
import dev.opsctl.target.kube.KubeRef;
import dev.opsctl.target.kube.KubeTarget;
import dev.opsctl.template.TemplateException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/** get, apply, label/annotate, scale, patch, delete, wait. */
final class ObjectSteps {
    private ObjectSteps() {}

    static StepResult get(KubeCall c, KubeOp.Get op) throws TemplateException, TargetException, InterruptedException {
        KubeRef ref = c.inNs(c.ref(op.target()));
        Map<String, Object> data = new LinkedHashMap<>();
        if (ref.byName()) {
            Optional<Map<String, Object>> o = c.kube().get(ref);
            data.put("exists", o.isPresent());
            data.put("count", o.isPresent() ? 1L : 0L);
            data.put("object", o.map(Results::value).orElse(Map.of()));
            data.put("items", o.map(x -> List.of(Results.value(x))).orElse(List.of()));
            data.put("value", o.flatMap(x -> op.field().flatMap(f -> f.read(x))).map(Results::value).orElse(""));
            o.filter(x -> "Pod".equals(Results.str(x, "kind"))).ifPresent(p -> pods(data, List.of(p)));
            if (o.isEmpty()) {
                String why = KubeErrors.notFound(Optional.of(ref));
                return c.result(op.optional() ? Outcome.OK : Outcome.FAILED, why, data, "");
            }
            return c.result(Outcome.OK, ref.describeIn() + op.field().map(f -> ": " + f + " = " + show(data.get("value"))).orElse(" exists"),
                    data, op.field().map(f -> show(data.get("value"))).orElse(""));
        }
        List<Map<String, Object>> items = c.kube().list(ref);
        List<Object> values = new ArrayList<>();
        List<Object> plain = new ArrayList<>();
        for (Map<String, Object> i : items) {
            plain.add(Results.value(i));
            op.field().ifPresent(f -> values.add(f.read(i).map(Results::value).orElse("")));
        }
        data.put("exists", !items.isEmpty());
        data.put("count", (long) items.size());
        data.put("items", plain);
        data.put("object", items.isEmpty() ? Map.of() : plain.get(0));
        data.put("value", op.field().isPresent() ? values : "");
        if ("Pod".equals(ref.kind())) {
            pods(data, items);
        }
        if (items.isEmpty() && !op.optional()) {
            return c.result(Outcome.FAILED, "no " + ref.describeIn(), data, "");
        }
        return c.result(Outcome.OK, items.size() + " " + ref.describeIn() + op.field().map(f -> ": " + f + " = " + show(values)).orElse(""),
                data, op.field().map(f -> show(values)).orElse(""));
    }

    /**
     * Pod-derived fields: total container restarts, how many pods are Ready, the first pod's phase, and over
     * every container (init containers first) the reasons a troubleshooting step reads: why it is waiting
     * ({@code CrashLoopBackOff}), why it last terminated ({@code OOMKilled}) and with which exit code.
     */
    private static void pods(Map<String, Object> data, List<Map<String, Object>> pods) {
        data.put("restarts", pods.stream().mapToLong(Results::restarts).sum());
        data.put("ready", pods.stream().filter(Results::ready).count());
        data.put("phase", pods.isEmpty() ? "" : Results.str(pods.get(0), "status", "phase"));
        data.put("waiting", Results.containerValues(pods, "state", "waiting", "reason"));
        data.put("terminated", Results.containerValues(pods, "lastState", "terminated", "reason"));
        data.put("exit_codes", Results.containerValues(pods, "lastState", "terminated", "exitCode"));
    }

    private static String show(Object v) {
        return v instanceof List<?> l ? String.join(" ", l.stream().map(String::valueOf).toList()) : String.valueOf(v);
    }

    static StepResult apply(KubeCall c, KubeOp.Apply op) throws TemplateException, TargetException, InterruptedException {
        String text;
        if (op.file().isPresent()) {
            try {
                text = c.ctx().render(Files.readString(op.file().get(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                return c.result(Outcome.FAILED, "cannot read manifest '" + op.file().get() + "': " + e.getMessage(), Map.of(), "");
            }
        } else {
            text = body(c, op.manifest().orElseThrow());
        }
        List<KubeTarget.Applied> applied = c.kube().apply(text, c.namespace());
        List<Object> rows = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        boolean changed = false;
        boolean serverSide = true;
        for (KubeTarget.Applied a : applied) {
            Map<String, Object> row = a.row();
            row.put("server_side", a.serverSide());
            rows.add(row);
            lines.add(a.kind().toLowerCase(java.util.Locale.ROOT) + "/" + a.name() + " " + a.action());
            changed |= !a.action().equals("unchanged");
            serverSide &= a.serverSide();
        }
        Map<String, Object> data = Map.of("applied", rows, "count", (long) applied.size());
        String how = serverSide ? "" : " (create-or-replace: the server has no server-side apply)";
        return c.result(changed ? Outcome.CHANGED : Outcome.OK, "applied " + String.join(", ", lines) + how, data, String.join("\n", lines));
    }

    static String body(KubeCall c, KubeOp.Body b) throws TemplateException {
        return b.text().isPresent() ? c.ctx().render(b.text().get()) : JsonText.render(b.tree().orElseThrow(), c.ctx());
    }

    static StepResult metadata(KubeCall c, KubeOp.Metadata op) throws TemplateException, TargetException, InterruptedException {
        KubeRef ref = c.inNs(c.ref(op.target()));
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : op.values().entrySet()) {
            values.put(e.getKey(), c.ctx().render(e.getValue()));
        }
        List<Map<String, Object>> after = c.kube().setMetadata(ref, op.labels(), values);
        List<String> names = after.stream().map(o -> Results.str(o, "metadata", "name")).toList();
        Map<String, Object> data = Map.of("count", (long) names.size(), "names", names,
                "object", after.isEmpty() ? Map.of() : Results.value(after.get(0)));
        String what = op.labels() ? "labelled" : "annotated";
        return c.result(names.isEmpty() ? Outcome.OK : Outcome.CHANGED, what + " " + names.size() + " " + ref.describeIn(), data, "");
    }

    static StepResult scale(KubeCall c, KubeOp.Scale op) throws TemplateException, TargetException, InterruptedException {
        KubeRef ref = c.inNs(c.ref(op.target()));
        String text = c.ctx().render(op.replicas()).strip();
        int replicas;
        try {
            replicas = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return c.result(Outcome.FAILED, "replicas '" + text + "' is not a whole number", Map.of(), "");
        }
        if (replicas < 0) {
            return c.result(Outcome.FAILED, "replicas must be 0 or more, not " + replicas, Map.of(), "");
        }
        Map<String, Object> before = c.kube().get(ref).orElseThrow(() -> KubeErrors.notFound(c.kube().context(), ref));
        long previous = Results.at(before, "spec", "replicas") instanceof Number n ? n.longValue() : 1;
        Map<String, Object> after = previous == replicas ? before : c.kube().scale(ref, replicas);
        Map<String, Object> data = Map.of("replicas", (long) replicas, "previous_replicas", previous, "object", Results.value(after));
        return c.result(previous == replicas ? Outcome.OK : Outcome.CHANGED,
                ref.describeIn() + " scaled from " + previous + " to " + replicas + " replicas", data, "");
    }

    static StepResult patch(KubeCall c, KubeOp.Patch op) throws TemplateException, TargetException, InterruptedException {
        KubeRef ref = c.inNs(c.ref(op.target()));
        Map<String, Object> before = c.kube().get(ref).orElseThrow(() -> KubeErrors.notFound(c.kube().context(), ref));
        Map<String, Object> after = c.kube().patch(ref, op.type(), body(c, op.body()));
        boolean changed = !Results.str(before, "metadata", "resourceVersion").equals(Results.str(after, "metadata", "resourceVersion"));
        return c.result(changed ? Outcome.CHANGED : Outcome.OK, ref.describeIn() + " patched (" + op.type() + ")",
                Map.of("object", Results.value(after)), "");
    }

    static StepResult delete(KubeCall c, KubeOp.Delete op) throws TemplateException, TargetException, InterruptedException {
        KubeRef ref = c.inNs(c.ref(op.target()));
        List<String> deleted = c.kube().delete(ref, op.waitFor().map(c::cap), op.gracePeriodSeconds());
        Map<String, Object> data = Map.of("deleted", deleted, "count", (long) deleted.size());
        if (deleted.isEmpty()) {
            return c.result(Outcome.OK, "nothing to delete: no " + ref.describeIn(), data, "");
        }
        return c.result(Outcome.CHANGED, "deleted " + ref.kind().toLowerCase(java.util.Locale.ROOT) + " " + String.join(", ", deleted)
                + " in namespace '" + ref.namespace() + "'" + (op.waitFor().isPresent() ? " (gone)" : ""), data, "");
    }

    static StepResult waitFor(KubeCall c, KubeOp.Wait op) throws TemplateException, TargetException, InterruptedException {
        KubeRef ref = c.inNs(c.ref(op.target()));
        AtomicReference<TemplateException> broken = new AtomicReference<>();
        Predicate<Map<String, Object>> cond = o -> {
            try {
                if (op.condition().isPresent()) {
                    return conditionTrue(o, op.condition().get());
                }
                Map<String, Object> f = fields(op, o);
                try {
                    return c.ctx().test(op.until().orElseThrow(), f);
                } catch (TemplateException e) {
                    // a field the controller has not written yet ("") cannot compare with a number: not yet, not an error
                    if ("".equals(f.get("value")) && op.field().isPresent()) {
                        return false;
                    }
                    throw e;
                }
            } catch (TemplateException e) {
                broken.set(e);
                return true;
            }
        };
        var timeout = c.cap(op.timeout());
        KubeTarget.Waited w = c.kube().waitFor(ref, cond, timeout);
        if (broken.get() != null) {
            return c.result(Outcome.FAILED, "cannot evaluate '" + op.until().orElse("") + "': " + broken.get().getMessage(), Map.of(), "");
        }
        Map<String, Object> data = fields(op, w.object());
        String what = op.condition().map(t -> "condition " + t + " = True").orElseGet(() -> "'" + op.until().orElseThrow() + "'");
        if (w.met()) {
            return c.result(Outcome.OK, ref.describeIn() + ": " + what + " holds", data, show(data.get("value")));
        }
        String last = op.condition().map(t -> "condition " + t + " is " + conditionText(w.object(), t))
                .orElseGet(() -> op.field().map(f -> "value: " + show(data.get("value"))).orElse(w.object().isEmpty() ? "absent" : "present"));
        return c.result(Outcome.TIMED_OUT, ref.describeIn() + ": " + what + " did not hold within " + Durations.format(timeout)
                + " (" + last + ")", data, "");
    }

    private static Map<String, Object> fields(KubeOp.Wait op, Map<String, Object> o) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("value", op.field().flatMap(p -> p.read(o)).map(Results::value).orElse(""));
        f.put("object", Results.value(o));
        f.put("exists", !o.isEmpty());
        return f;
    }

    static boolean conditionTrue(Map<String, Object> o, String type) {
        return "True".equals(conditionText(o, type));
    }

    private static String conditionText(Map<String, Object> o, String type) {
        if (Results.at(o, "status", "conditions") instanceof List<?> l) {
            for (Object x : l) {
                if (type.equals(Results.at(x, "type"))) {
                    String reason = Results.str(x, "reason");
                    String status = Results.str(x, "status");
                    return "True".equals(status) || reason.isEmpty() ? status : status + " (" + reason + ")";
                }
            }
        }
        return "absent";
    }
}
