package dev.opsctl.target.kube;

import dev.opsctl.target.ContainerBackend;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.TargetException;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * The Kubernetes side of the dual container backend (the EKS + gVisor study): workload containers
 * are pods in one namespace, found by label; stopping one deletes it with a grace period (SIGTERM,
 * then SIGKILL after the grace); a verification runs as a {@code restartPolicy: Never} pod, under a
 * RuntimeClass such as {@code gvisor} when asked, and is deleted once its logs are read.
 */
public final class KubeContainerBackend implements ContainerBackend {
    /** Extra time after the grace period for the kubelet to report the pod gone. */
    static final Duration SETTLE = Duration.ofSeconds(30);

    private final KubeClient kube;
    private final String namespace;

    public KubeContainerBackend(KubeClient kube, String namespace) {
        this.kube = kube;
        this.namespace = namespace.isEmpty() ? kube.namespace() : namespace;
    }

    @Override
    public List<Container> list(Map<String, String> labels) throws TargetException, InterruptedException {
        String selector = labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
        List<Container> out = new ArrayList<>();
        for (Map<String, Object> pod : kube.list(KubeRef.selected("Pod", selector, namespace))) {
            String name = ObjectMaps.str(pod, "metadata", "name");
            List<?> containers = ObjectMaps.list(pod, "spec", "containers");
            String image = containers.isEmpty() ? "" : ObjectMaps.str(containers.get(0), "image");
            Map<String, String> podLabels = new java.util.LinkedHashMap<>();
            ObjectMaps.at(pod, "metadata", "labels").filter(v -> v instanceof Map<?, ?>)
                    .ifPresent(v -> ((Map<?, ?>) v).forEach((k, x) -> podLabels.put(String.valueOf(k), String.valueOf(x))));
            out.add(new Container(name, name, image, state(pod), podLabels));
        }
        return out;
    }

    /** The phase, or a waiting container's reason (CrashLoopBackOff, ImagePullBackOff), which says more. */
    static String state(Map<String, Object> pod) {
        for (Object cs : ObjectMaps.list(pod, "status", "containerStatuses")) {
            String waiting = ObjectMaps.str(cs, "state", "waiting", "reason");
            if (!waiting.isEmpty()) {
                return waiting;
            }
            String terminated = ObjectMaps.str(cs, "state", "terminated", "reason");
            if (!terminated.isEmpty() && !"Completed".equals(terminated)) {
                return terminated;
            }
        }
        String phase = ObjectMaps.str(pod, "status", "phase");
        return phase.isEmpty() ? "Unknown" : phase;
    }

    @Override
    public void stop(String id, Duration grace) throws TargetException, InterruptedException {
        kube.delete(KubeRef.named("Pod", id, namespace), Optional.of(grace.plus(SETTLE)), OptionalLong.of(grace.toSeconds()));
    }

    @Override
    public VerificationResult verify(Verification v) throws TargetException, InterruptedException {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(v.name()).withNamespace(namespace).withLabels(v.labels()).endMetadata()
                .withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("verify").withImage(v.image()).withCommand(v.command()).endContainer()
                .endSpec();
        v.runtime().ifPresent(rc -> b.editSpec().withRuntimeClassName(rc).endSpec());
        Pod pod = b.build();
        KubeRef ref = KubeRef.named("Pod", v.name(), namespace);
        long start = System.nanoTime();
        kube.call(ref, () -> kube.fabric8().pods().inNamespace(namespace).resource(pod).create());
        try {
            KubeTarget.Waited w = kube.waitFor(ref, p -> {
                String phase = ObjectMaps.str(p, "status", "phase");
                return p.isEmpty() || "Succeeded".equals(phase) || "Failed".equals(phase);
            }, v.timeout());
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            if (w.object().isEmpty()) {
                return new VerificationResult(v.name(), -1, "", Optional.of("pod '" + v.name() + "' was deleted before it finished"), elapsed);
            }
            String logs = kube.logs(ref, Optional.of("verify"), false, OptionalInt.empty());
            if (!w.met()) {
                return new VerificationResult(v.name(), -1, logs, Optional.of("pod '" + v.name() + "' did not finish within "
                        + v.timeout().toSeconds() + "s (" + state(w.object()) + reason(w.object()) + ")"), elapsed);
            }
            int code = (int) ObjectMaps.list(w.object(), "status", "containerStatuses").stream()
                    .mapToLong(cs -> ObjectMaps.num(cs, "state", "terminated", "exitCode")).findFirst()
                    .orElse("Succeeded".equals(ObjectMaps.str(w.object(), "status", "phase")) ? 0 : 1);
            Optional<String> failure = code == 0 ? Optional.empty() : Optional.of("pod '" + v.name() + "' exited with " + code);
            return new VerificationResult(v.name(), code, logs, failure, elapsed);
        } finally {
            try {
                kube.delete(ref, Optional.empty(), OptionalLong.of(0));
            } catch (TargetException e) {
                // a verification pod left behind is labelled and harmless; the result matters more
            }
        }
    }

    private static String reason(Map<String, Object> pod) {
        return ObjectMaps.condition(pod, "PodScheduled").filter(c -> "False".equals(c.get("status")))
                .map(c -> ": " + c.get("reason") + " " + Optional.ofNullable(c.get("message")).orElse("")).orElse("").stripTrailing();
    }

    @Override
    public ExecResult exec(String id, List<String> command, Duration timeout) throws TargetException, InterruptedException {
        return kube.exec(KubeRef.named("Pod", id, namespace), Optional.empty(), command, timeout);
    }
}
