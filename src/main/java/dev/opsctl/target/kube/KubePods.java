package dev.opsctl.target.kube;

import dev.opsctl.target.ExecResult;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.kube.KubeTarget.Event;
import dev.opsctl.target.kube.KubeTarget.PortForward;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.dsl.PodResource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Pods: exec, logs, events about any object, port-forward. */
final class KubePods {
    private final KubeClient kube;

    KubePods(KubeClient kube) {
        this.kube = kube;
    }

    private PodResource pod(KubeRef r) {
        return kube.fabric8().pods().inNamespace(r.namespace()).withName(r.name());
    }

    private void requirePod(KubeRef r) throws TargetException, InterruptedException {
        if (!"Pod".equals(r.kind())) {
            throw TargetException.remoteFailed(kube.context(), "a pod is needed here, not a " + r.kind());
        }
        if (kube.read(r, () -> pod(r).get()) == null) {
            throw KubeErrors.notFound(kube.context(), r);
        }
    }

    ExecResult exec(KubeRef r, Optional<String> container, List<String> command, Duration timeout)
            throws TargetException, InterruptedException {
        requirePod(r);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long start = System.nanoTime();
        ExecWatch watch = kube.call(r, () -> (container.isPresent() ? pod(r).inContainer(container.get()) : pod(r))
                .writingOutput(out).writingError(err).exec(command.toArray(String[]::new)));
        try {
            int code;
            boolean timedOut = false;
            try {
                Integer c = watch.exitCode().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                code = c == null ? -1 : c;
            } catch (TimeoutException e) {
                code = -1;
                timedOut = true;
            } catch (ExecutionException e) {
                Optional<TargetException> lost = KubeErrors.lostExec(kube.context(), r, String.join(" ", command), e.getCause());
                if (lost.isPresent()) {
                    throw lost.get().withOutputSoFar(new TargetException.OutputSoFar(out.toString(StandardCharsets.UTF_8),
                            err.toString(StandardCharsets.UTF_8)));
                }
                throw TargetException.remoteFailed(kube.context(), "exec in " + r.describeIn() + " failed: "
                        + Optional.ofNullable(e.getCause()).map(Throwable::getMessage).orElse("unknown error"));
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            ExecResult result = new ExecResult(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), elapsed,
                    timedOut, false);
            // the API server has no call that stops an exec, and closing its stream does not stop the command in the
            // container (kubernetes/kubernetes#89031): it runs on, so it must not be started again beside it
            return timedOut ? result.leftRunningBecause("it may still be running in the container: closing the exec stream does not stop it")
                    : result;
        } finally {
            watch.close();
        }
    }

    String logs(KubeRef r, Optional<String> container, boolean previous, OptionalInt tail) throws TargetException, InterruptedException {
        requirePod(r);
        return kube.read(r, () -> {
            if (container.isPresent()) {
                var c = pod(r).inContainer(container.get());
                var p = previous ? c.terminated() : c;
                return tail.isPresent() ? p.tailingLines(tail.getAsInt()).getLog() : p.getLog();
            }
            var p = previous ? pod(r).terminated() : pod(r);
            return tail.isPresent() ? p.tailingLines(tail.getAsInt()).getLog() : p.getLog();
        });
    }

    List<Event> events(KubeRef r) throws TargetException, InterruptedException {
        String ns = r.namespace().isEmpty() ? kube.namespace() : r.namespace();
        List<io.fabric8.kubernetes.api.model.Event> all = kube.read(r, () -> kube.fabric8().v1().events().inNamespace(ns).list().getItems());
        List<io.fabric8.kubernetes.api.model.Event> mine = new ArrayList<>();
        for (var e : all) {
            var o = e.getInvolvedObject();
            if (o != null && r.name().equals(o.getName()) && (o.getKind() == null || r.kind().equalsIgnoreCase(o.getKind()))) {
                mine.add(e);
            }
        }
        mine.sort(Comparator.comparing(KubePods::when));
        List<Event> out = new ArrayList<>();
        for (var e : mine) {
            out.add(new Event(Optional.ofNullable(e.getType()).orElse("Normal"), Optional.ofNullable(e.getReason()).orElse(""),
                    Optional.ofNullable(e.getMessage()).orElse("").strip(), Optional.ofNullable(e.getCount()).orElse(1), when(e),
                    e.getInvolvedObject().getKind() + "/" + e.getInvolvedObject().getName()));
        }
        return out;
    }

    /** lastTimestamp, else eventTime (events.k8s.io writers), else creation: RFC 3339 strings sort by time. */
    private static String when(io.fabric8.kubernetes.api.model.Event e) {
        if (e.getLastTimestamp() != null) {
            return e.getLastTimestamp();
        }
        if (e.getEventTime() != null && e.getEventTime().getTime() != null) {
            return e.getEventTime().getTime();
        }
        return Optional.ofNullable(e.getMetadata().getCreationTimestamp()).orElse("");
    }

    PortForward portForward(KubeRef r, int port) throws TargetException, InterruptedException {
        LocalPortForward f;
        if ("Service".equals(r.kind())) {
            Map<String, Object> svc = kube.get(r).orElseThrow(() -> KubeErrors.notFound(kube.context(), r));
            if (ObjectMaps.at(svc, "spec", "selector").isEmpty()) {
                throw TargetException.remoteFailed(kube.context(), r.describeIn() + " has no selector: no pod to forward to");
            }
            f = kube.call(r, () -> kube.fabric8().services().inNamespace(r.namespace()).withName(r.name()).portForward(port));
        } else {
            requirePod(r);
            f = kube.call(r, () -> pod(r).portForward(port));
        }
        LocalPortForward forward = f;
        return new PortForward() {
            @Override
            public int localPort() {
                return forward.getLocalPort();
            }

            @Override
            public void close() {
                try {
                    forward.close();
                } catch (IOException | RuntimeException e) {
                    // the forward dies with the client anyway
                }
            }
        };
    }
}
