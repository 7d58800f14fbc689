package dev.opsctl.target.kube;

import dev.opsctl.target.TargetException;
import dev.opsctl.target.container.ContainerRun;
import dev.opsctl.target.container.ContainerSpec;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * {@code docker run} as a pod: {@code restartPolicy: Never}, the image's entrypoint given the
 * command, a numeric {@code user} ({@code 1000} or {@code 1000:1000}) as the security context, the
 * runtime as the RuntimeClass. Kubernetes has no pod without a network: {@code network: none} gives
 * the pod no service-account token and no service links and labels it {@code opsctl.dev/network=none}
 * for the namespace's default-deny NetworkPolicy; any other network is refused.
 */
final class KubePodRun {
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String NETWORK_LABEL = "opsctl.dev/network";
    private static final String CONTAINER = "run";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KubeClient kube;
    private final String namespace;

    KubePodRun(KubeClient kube, String namespace) {
        this.kube = kube;
        this.namespace = namespace;
    }

    ContainerRun run(ContainerSpec spec) throws TargetException, InterruptedException {
        String name = spec.name().orElseGet(() -> "opsctl-run-" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36));
        Pod pod = pod(name, spec);
        KubeRef ref = KubeRef.named("Pod", name, namespace);
        kube.call(ref, () -> kube.fabric8().pods().inNamespace(namespace).resource(pod).create());
        if (spec.detach()) {
            return new ContainerRun(name, Optional.empty(), "", false, false);
        }
        try {
            KubeTarget.Waited w = kube.waitFor(ref, p -> p.isEmpty() || KubeContainerBackend.finished(p), spec.timeout());
            if (w.object().isEmpty()) {
                throw TargetException.remoteFailed(kube.context(), "pod '" + name + "' in namespace '" + namespace
                        + "' was deleted before it finished");
            }
            String logs = kube.logs(ref, Optional.of(CONTAINER), false, OptionalInt.empty());
            byte[] bytes = logs.getBytes(StandardCharsets.UTF_8);
            boolean truncated = bytes.length > spec.maxOutput();
            String output = truncated ? new String(bytes, 0, spec.maxOutput(), StandardCharsets.UTF_8) : logs;
            if (!w.met()) {
                return new ContainerRun(name, Optional.empty(), output + stuck(w.object()), truncated, true);
            }
            return new ContainerRun(name, Optional.of(exitCode(w.object())), output, truncated, false);
        } finally {
            if (spec.remove()) {
                remove(ref);
            }
        }
    }

    private Pod pod(String name, ContainerSpec spec) throws TargetException {
        Map<String, String> labels = new LinkedHashMap<>(spec.labels());
        labels.put(MANAGED_BY, "opsctl");
        boolean isolated = false;
        if (spec.network().isPresent()) {
            if (!"none".equals(spec.network().get())) {
                throw TargetException.remoteFailed(kube.context(), "network '" + spec.network().get()
                        + "' has no meaning for a pod: with the kubernetes backend write network: none or leave it out");
            }
            labels.put(NETWORK_LABEL, "none");
            isolated = true;
        }
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels).endMetadata()
                .withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName(CONTAINER).withImage(spec.image()).withArgs(spec.command()).endContainer()
                .endSpec();
        if (isolated) {
            b.editSpec().withAutomountServiceAccountToken(false).withEnableServiceLinks(false).endSpec();
        }
        spec.runtime().ifPresent(rc -> b.editSpec().withRuntimeClassName(rc).endSpec());
        if (spec.user().isPresent()) {
            long[] ids = user(spec.user().get());
            b.editSpec().withNewSecurityContext().withRunAsUser(ids[0]).withRunAsGroup(ids.length > 1 ? ids[1] : null)
                    .endSecurityContext().endSpec();
        }
        return b.build();
    }

    private long[] user(String user) throws TargetException {
        String[] parts = user.split(":", -1);
        try {
            long uid = Long.parseLong(parts[0]);
            return parts.length > 1 ? new long[] {uid, Long.parseLong(parts[1])} : new long[] {uid};
        } catch (NumberFormatException e) {
            throw TargetException.remoteFailed(kube.context(), "user '" + user
                    + "' must be numeric for a pod (runAsUser): write user: \"1000\" or \"1000:1000\"");
        }
    }

    static int exitCode(Map<String, Object> pod) {
        List<?> statuses = ObjectMaps.list(pod, "status", "containerStatuses");
        for (Object cs : statuses) {
            if (ObjectMaps.at(cs, "state", "terminated").isPresent()) {
                return (int) ObjectMaps.num(cs, "state", "terminated", "exitCode");
            }
        }
        return "Succeeded".equals(ObjectMaps.str(pod, "status", "phase")) ? 0 : 1;
    }

    /** Why a pod that did not finish is where it is: a waiting reason, or why it is not scheduled. */
    private static String stuck(Map<String, Object> pod) {
        String state = KubeContainerBackend.state(pod);
        String unscheduled = ObjectMaps.condition(pod, "PodScheduled").filter(c -> "False".equals(c.get("status")))
                .map(c -> ", " + c.get("reason") + ": " + Optional.ofNullable(c.get("message")).orElse("")).orElse("");
        return "(pod still " + state + unscheduled + ")\n";
    }

    private void remove(KubeRef ref) throws InterruptedException {
        // an interrupt must not leave the pod behind: clear it, delete, then restore it
        boolean interrupted = Thread.interrupted();
        try {
            kube.delete(ref, Optional.empty(), OptionalLong.of(0));
        } catch (TargetException e) {
            // a pod left behind is labelled managed-by opsctl; the result matters more
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
