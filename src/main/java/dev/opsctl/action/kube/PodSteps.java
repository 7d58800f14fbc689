package dev.opsctl.action.kube;

import dev.opsctl.action.StepResult;
import dev.opsctl.action.StepResult.Outcome;
import dev.opsctl.source.Durations;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.kube.KubeRef;
import dev.opsctl.target.kube.KubeTarget;
import dev.opsctl.template.TemplateException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** exec, logs, events, port_forward. */
final class PodSteps {
    /** Body kept from a port-forwarded check. */
    static final int MAX_BODY = 64 * 1024;

    private PodSteps() {}

    static StepResult exec(KubeCall c, KubeOp.Exec op) throws TemplateException, TargetException, InterruptedException {
        KubeRef pod = c.inNs(c.pod(op.pod()));
        List<String> command = new ArrayList<>();
        for (String part : op.command()) {
            command.add(c.ctx().render(part));
        }
        Duration timeout = c.cap(op.timeout());
        var container = op.container().isPresent() ? java.util.Optional.of(c.ctx().render(op.container().get())) : java.util.Optional.<String>empty();
        ExecResult r = c.kube().exec(pod, container, command, timeout);
        String shown = "'" + String.join(" ", command) + "' in pod '" + pod.name() + "'";
        Map<String, Object> data = Map.of("exit_code", (long) r.exitCode(), "pod", pod.name());
        Outcome o = r.timedOut() ? Outcome.TIMED_OUT : r.exitCode() == 0 ? Outcome.OK : Outcome.FAILED;
        String message = r.timedOut() ? shown + " did not finish within " + Durations.format(timeout) + (r.leftRunning() ? "; "
                + r.stoppedOrNot() : "")
                : r.exitCode() == 0 ? shown + " exited 0" : "exit " + r.exitCode() + " from " + shown + (r.lastLine().isEmpty() ? "" : ": " + r.lastLine());
        return new StepResult(o, r.exitCode() == 0 ? 0 : Math.max(1, r.exitCode()), c.ctx().mask(r.stdout()), c.ctx().mask(r.stderr()),
                c.ctx().mask(message), data, r.elapsed(), r.timedOut() && r.leftRunning());
    }

    static StepResult logs(KubeCall c, KubeOp.Logs op) throws TemplateException, TargetException, InterruptedException {
        KubeRef pod = c.inNs(c.pod(op.pod()));
        var container = op.container().isPresent() ? java.util.Optional.of(c.ctx().render(op.container().get())) : java.util.Optional.<String>empty();
        String text = c.ctx().mask(c.kube().logs(pod, container, op.previous(), op.tail()));
        long lines = text.isEmpty() ? 0 : text.lines().count();
        Map<String, Object> data = Map.of("logs", text, "lines", lines, "pod", pod.name());
        return c.result(Outcome.OK, lines + " log lines from pod '" + pod.name() + "'" + (op.previous() ? " (previous instance)" : ""), data, text);
    }

    static StepResult events(KubeCall c, KubeOp.Events op) throws TemplateException, TargetException, InterruptedException {
        KubeRef ref = c.inNs(c.ref(op.target()));
        List<KubeTarget.Event> events = c.kube().events(ref);
        List<Object> rows = new ArrayList<>();
        StringBuilder table = new StringBuilder();
        long warnings = 0;
        for (KubeTarget.Event e : events) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", e.type());
            m.put("reason", e.reason());
            m.put("message", c.ctx().mask(e.message()));
            m.put("count", (long) e.count());
            m.put("last_seen", e.lastSeen());
            rows.add(m);
            table.append(e.lastSeen()).append("  ").append(e.type()).append("  ").append(e.reason()).append("  ").append(e.message()).append('\n');
            warnings += "Warning".equals(e.type()) ? 1 : 0;
        }
        Map<String, Object> data = Map.of("events", rows, "count", (long) events.size(), "warnings", warnings,
                "reasons", events.stream().map(KubeTarget.Event::reason).distinct().toList());
        return c.result(Outcome.OK, events.size() + " events (" + warnings + " warnings) for " + ref.describeIn(), data, table.toString().strip());
    }

    static StepResult portForward(KubeCall c, KubeOp.PortForward op) throws TemplateException, TargetException, InterruptedException {
        KubeRef ref = c.inNs(c.ref(op.target()));
        String path = c.ctx().render(op.path());
        Duration timeout = c.cap(op.timeout());
        try (KubeTarget.PortForward f = c.kube().portForward(ref, op.port())) {
            URI uri = URI.create("http://127.0.0.1:" + f.localPort() + path);
            String shown = "GET " + path + " on " + ref.describeIn() + " port " + op.port();
            HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
            long start = System.nanoTime();
            HttpResponse<String> r;
            try {
                r = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
            } catch (HttpTimeoutException e) {
                return c.result(Outcome.TIMED_OUT, shown + ": no response within " + Durations.format(timeout), Map.of(), "");
            } catch (IOException e) {
                return c.result(Outcome.FAILED, shown + " failed through the port-forward: " + e.getMessage(), Map.of(), "");
            }
            long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
            String body = r.body().length() > MAX_BODY ? r.body().substring(0, MAX_BODY) : r.body();
            Map<String, Object> data = Map.of("status", (long) r.statusCode(), "body", c.ctx().mask(body), "latency_ms", ms,
                    "local_port", (long) f.localPort());
            boolean ok = r.statusCode() == op.expectStatus();
            return c.result(ok ? Outcome.OK : Outcome.FAILED, shown + " -> " + r.statusCode() + (ok ? " in " + ms + "ms" : " (expected "
                    + op.expectStatus() + ")"), data, body);
        }
    }
}
