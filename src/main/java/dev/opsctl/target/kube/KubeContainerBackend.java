package dev.opsctl.target.kube;

import dev.opsctl.target.ExecResult;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.container.CommandResult;
import dev.opsctl.target.container.Container;
import dev.opsctl.target.container.ContainerBackend;
import dev.opsctl.target.container.ContainerRun;
import dev.opsctl.target.container.ContainerSpec;
import dev.opsctl.target.container.StopReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The Kubernetes side of the dual container backend (the EKS + gVisor study): workload containers
 * are pods in one namespace, found by label ({@code key} or {@code key=value}, as a label selector).
 * A pod's id and name are its name; its state is Docker's word for its phase ({@code running},
 * {@code created}, {@code exited}) unless a container waits for a telling reason
 * ({@code CrashLoopBackOff}, {@code ImagePullBackOff}). Stopping deletes the pod with the timeout as
 * its grace period: the kubelet sends the stop signal, then kills what outlives it. A run is a
 * {@code restartPolicy: Never} pod ({@link KubePodRun}); exec goes through the API server.
 */
public final class KubeContainerBackend implements ContainerBackend {
    /** Extra time after a grace period for the kubelet to report the pod gone. */
    static final Duration SETTLE = Duration.ofSeconds(30);

    private final KubeClient kube;
    private final String namespace;
    private final Duration settle;
    private final Clock clock;

    public KubeContainerBackend(KubeClient kube, String namespace) {
        this(kube, namespace, SETTLE, Clock.systemUTC());
    }

    KubeContainerBackend(KubeClient kube, String namespace, Duration settle, Clock clock) {
        this.kube = kube;
        this.namespace = namespace.isEmpty() ? kube.namespace() : namespace;
        this.settle = settle;
        this.clock = clock;
    }

    public String namespace() {
        return namespace;
    }

    @Override
    public String describe() {
        return "kubernetes namespace '" + namespace + "' (" + kube.describe() + ")";
    }

    @Override
    public List<Container> list(List<String> labels, boolean all) throws TargetException, InterruptedException {
        List<Container> out = new ArrayList<>();
        for (Map<String, Object> pod : kube.list(KubeRef.selected("Pod", String.join(",", labels), namespace))) {
            if (!all && finished(pod)) {
                continue;
            }
            String name = ObjectMaps.str(pod, "metadata", "name");
            List<?> containers = ObjectMaps.list(pod, "spec", "containers");
            String image = containers.isEmpty() ? "" : ObjectMaps.str(containers.get(0), "image");
            Map<String, String> podLabels = new LinkedHashMap<>();
            ObjectMaps.at(pod, "metadata", "labels").filter(v -> v instanceof Map<?, ?>)
                    .ifPresent(v -> ((Map<?, ?>) v).forEach((k, x) -> podLabels.put(String.valueOf(k), String.valueOf(x))));
            out.add(new Container(name, name, image, state(pod), podLabels));
        }
        out.sort(Comparator.comparing(Container::name));
        return out;
    }

    static boolean finished(Map<String, Object> pod) {
        String phase = ObjectMaps.str(pod, "status", "phase");
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    /** Docker's word for the phase, or a waiting container's reason (CrashLoopBackOff, ImagePullBackOff), which says more. */
    static String state(Map<String, Object> pod) {
        for (Object cs : ObjectMaps.list(pod, "status", "containerStatuses")) {
            String waiting = ObjectMaps.str(cs, "state", "waiting", "reason");
            if (!waiting.isEmpty() && !"ContainerCreating".equals(waiting)) {
                return waiting;
            }
        }
        return switch (ObjectMaps.str(pod, "status", "phase")) {
            case "Running" -> "running";
            case "Pending" -> "created";
            case "Succeeded", "Failed" -> "exited";
            default -> "unknown";
        };
    }

    @Override
    public StopReport stop(List<String> ids, Duration timeout, boolean forceAfter) throws TargetException, InterruptedException {
        List<String> stopped = new ArrayList<>();
        List<String> forced = new ArrayList<>();
        List<String> still = new ArrayList<>();
        List<String> live = new ArrayList<>();
        for (String id : ids) {
            Optional<Map<String, Object>> pod = kube.get(ref(id));
            if (pod.isEmpty()) {
                throw TargetException.remoteFailed(kube.context(), "no pod '" + id + "' in namespace '" + namespace + "'");
            }
            if (finished(pod.get())) {
                stopped.add(id);
            } else {
                live.add(id);
            }
        }
        Instant start = clock.instant();
        // force_after: the grace period is the timeout (the kubelet kills at its end); without it the pod's own grace applies
        OptionalLong grace = forceAfter ? OptionalLong.of(Math.max(1, timeout.toSeconds())) : OptionalLong.empty();
        for (String id : live) {
            kube.delete(ref(id), Optional.empty(), grace);
        }
        for (String id : live) {
            Duration left = timeout.minus(Duration.between(start, clock.instant()));
            if (gone(id, left.isNegative() ? Duration.ZERO : left)) {
                stopped.add(id);
            } else if (!forceAfter) {
                still.add(id);
            } else if (gone(id, settle)) {
                forced.add(id);
            } else {
                // the kubelet did not act on the grace period (an unreachable node): delete without one
                kube.delete(ref(id), Optional.empty(), OptionalLong.of(0));
                (gone(id, settle) ? forced : still).add(id);
            }
        }
        return new StopReport(stopped, forced, still);
    }

    private boolean gone(String pod, Duration within) throws TargetException, InterruptedException {
        if (within.isZero()) {
            return kube.get(ref(pod)).isEmpty();
        }
        return kube.waitFor(ref(pod), Map::isEmpty, within).met();
    }

    @Override
    public ContainerRun run(ContainerSpec spec) throws TargetException, InterruptedException {
        return new KubePodRun(kube, namespace).run(spec);
    }

    @Override
    public CommandResult exec(String container, List<String> command, Duration timeout) throws TargetException, InterruptedException {
        ExecResult r = kube.exec(ref(container), Optional.empty(), command, timeout);
        return new CommandResult(r.timedOut() ? -1 : r.exitCode(), r.stdout(), r.stderr(), r.timedOut());
    }

    private KubeRef ref(String pod) {
        return KubeRef.named("Pod", pod, namespace);
    }
}
