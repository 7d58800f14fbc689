package dev.opsctl.action.docker;

import dev.opsctl.action.StepContext;
import dev.opsctl.action.StepResult;
import dev.opsctl.source.Durations;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.container.CommandResult;
import dev.opsctl.target.container.Container;
import dev.opsctl.target.container.ContainerBackend;
import dev.opsctl.target.container.ContainerRun;
import dev.opsctl.target.container.ContainerSpec;
import dev.opsctl.target.container.StopReport;
import dev.opsctl.template.TemplateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The container operations (ps, stop, run, exec), on any {@link ContainerBackend}. */
final class ContainerSteps {
    private final ContainerBackend backend;
    private final StepContext ctx;

    ContainerSteps(ContainerBackend backend, StepContext ctx) {
        this.backend = backend;
        this.ctx = ctx;
    }

    StepResult ps(DockerOp.Ps op) throws TargetException, InterruptedException, TemplateException {
        List<String> labels = renderAll(op.labels());
        List<Container> found = backend.list(labels, op.all());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("count", (long) found.size());
        data.put("ids", found.stream().map(Container::id).toList());
        data.put("names", found.stream().map(Container::name).toList());
        String which = labels.isEmpty() ? "" : " labelled '" + String.join("', '", labels) + "'";
        return StepResult.ok(found.size() + (op.all() ? "" : " running") + (found.size() == 1 ? " container" : " containers") + which, data);
    }

    StepResult stop(DockerOp.Stop op) throws TargetException, InterruptedException, TemplateException {
        List<String> ids = renderAll(op.ids());
        List<String> labels = renderAll(op.labels());
        if (ids.isEmpty()) {
            ids = backend.list(labels, false).stream().map(Container::id).toList();
        }
        if (ids.isEmpty()) {
            Map<String, Object> data = stopData(new StopReport(List.of(), List.of(), List.of()), 0);
            return StepResult.ok("no running containers labelled '" + String.join("', '", labels) + "'", data);
        }
        ctx.progress("stopping " + ids.size() + (ids.size() == 1 ? " container" : " containers") + " (up to "
                + Durations.format(op.timeout()) + (op.forceAfter() ? ", then killed" : "") + ")");
        StopReport r = backend.stop(ids, op.timeout(), op.forceAfter());
        Map<String, Object> data = stopData(r, ids.size());
        if (!r.complete()) {
            return StepResult.failed(r.stillRunning().size() + " of " + ids.size() + " containers still running after "
                    + Durations.format(op.timeout()) + " (force_after is false): " + shortIds(r.stillRunning()), data);
        }
        String forced = r.forced().isEmpty() ? "" : ", " + r.forced().size() + " killed after " + Durations.format(op.timeout());
        return StepResult.changed("stopped " + ids.size() + (ids.size() == 1 ? " container" : " containers") + forced, data);
    }

    private static Map<String, Object> stopData(StopReport r, int count) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("count", (long) count);
        data.put("stopped", (long) (r.stopped().size() + r.forced().size()));
        data.put("forced", (long) r.forced().size());
        data.put("still_running", (long) r.stillRunning().size());
        data.put("ids", List.copyOf(concat(r.stopped(), r.forced())));
        return data;
    }

    StepResult run(DockerOp.Run op) throws TargetException, InterruptedException, TemplateException {
        Map<String, String> labels = new LinkedHashMap<>();
        for (Map.Entry<String, String> l : op.labels().entrySet()) {
            labels.put(l.getKey(), ctx.render(l.getValue()));
        }
        Duration timeout = ctx.timeout().filter(t -> t.compareTo(op.timeout()) < 0).orElse(op.timeout());
        String image = ctx.render(op.image());
        ContainerSpec spec = new ContainerSpec(image, renderAll(op.command()), render(op.user()), labels,
                render(op.network()), render(op.name()), op.rm(), op.detach(), timeout, ContainerSpec.DEFAULT_MAX_OUTPUT,
                // rendered empty (a param left at its default): the backend's default runtime
                render(op.runtime()).filter(rt -> !rt.isBlank()));
        ContainerRun r = backend.run(spec);
        String output = ctx.mask(r.output());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", r.id());
        data.put("output", output);
        if (op.detach()) {
            return StepResult.changed("started container " + shortId(r.id()) + " from '" + image + "'", data);
        }
        if (r.timedOut()) {
            return new StepResult(StepResult.Outcome.TIMED_OUT, -1, output, "", "container from '" + image + "' still running after "
                    + Durations.format(timeout) + "; killed" + (op.rm() ? " and removed" : ""), data, Duration.ZERO);
        }
        int rc = r.exitCode().orElse(-1);
        String last = lastLine(output);
        if (rc != 0) {
            return new StepResult(StepResult.Outcome.FAILED, rc, output, "", "container from '" + image + "' exited " + rc
                    + (last.isEmpty() ? "" : ": " + last), data, Duration.ZERO);
        }
        Optional<String> expected = render(op.expectOutput());
        if (expected.isPresent() && !r.output().contains(expected.get())) {
            return new StepResult(StepResult.Outcome.FAILED, rc, output, "", "container from '" + image + "' printed '"
                    + last + "', not the expected '" + ctx.mask(expected.get()) + "'", data, Duration.ZERO);
        }
        return new StepResult(StepResult.Outcome.OK, 0, output, "", "container from '" + image + "' exited 0"
                + (last.isEmpty() ? "" : ": " + last), data, Duration.ZERO);
    }

    StepResult exec(DockerOp.Exec op) throws TargetException, InterruptedException, TemplateException {
        String container = ctx.render(op.container());
        Duration timeout = ctx.timeout().filter(t -> t.compareTo(op.timeout()) < 0).orElse(op.timeout());
        CommandResult r = backend.exec(container, renderAll(op.command()), timeout);
        String stdout = ctx.mask(r.stdout());
        String stderr = ctx.mask(r.stderr());
        Map<String, Object> data = Map.of("output", stdout);
        if (r.timedOut()) {
            // neither the Engine API nor the Kubernetes exec can stop an exec'd command: nothing may run beside it
            return new StepResult(StepResult.Outcome.TIMED_OUT, -1, stdout, stderr, "exec in container '" + container
                    + "' still running after " + Durations.format(timeout) + "; it runs on in the container: an exec'd command"
                    + " cannot be stopped from outside it", data, Duration.ZERO).withCommandMayStillRun();
        }
        String last = lastLine(stderr.isBlank() ? stdout : stderr);
        StepResult.Outcome o = r.exitCode() == 0 ? StepResult.Outcome.CHANGED : StepResult.Outcome.FAILED;
        return new StepResult(o, r.exitCode(), stdout, stderr, "exec in container '" + container + "' exited " + r.exitCode()
                + (last.isEmpty() ? "" : ": " + last), data, Duration.ZERO);
    }

    private List<String> renderAll(List<String> templates) throws TemplateException {
        List<String> out = new ArrayList<>();
        for (String t : templates) {
            out.add(ctx.render(t));
        }
        return out;
    }

    private Optional<String> render(Optional<String> template) throws TemplateException {
        return template.isPresent() ? Optional.of(ctx.render(template.get())) : Optional.empty();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    private static String shortIds(List<String> ids) {
        return String.join(", ", ids.stream().map(ContainerSteps::shortId).toList());
    }

    static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        String l = lines[lines.length - 1].strip();
        return l.length() > 200 ? l.substring(0, 200) + "..." : l;
    }
}
