package dev.opsctl.app;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Plays the Deployment controller and the kubelet for the mock API server, polling every 20 ms: a
 * Deployment's status follows its spec (all replicas updated, ready and available, generation
 * observed), and a Deployment with replicas gets one Running, Ready pod {@code <name>-0} with its
 * template's labels and containers. A Deployment named in {@link #neverProgress} instead reports
 * {@code ProgressDeadlineExceeded}. {@link #timeline} records when each Deployment came up ("up NAME")
 * and went to 0 replicas ("down NAME"), in order.
 */
final class FakeControllers implements AutoCloseable {
    final List<String> timeline = new CopyOnWriteArrayList<>();
    final Set<String> neverProgress = ConcurrentHashMap.newKeySet();
    private final KubernetesClient kube;
    private final String ns;
    private final Map<String, Integer> seen = new HashMap<>();
    private volatile boolean running = true;
    private final Thread thread;

    FakeControllers(KubernetesClient kube, String ns) {
        this.kube = kube;
        this.ns = ns;
        this.thread = new Thread(this::loop, "fake-controllers");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void loop() {
        while (running) {
            try {
                for (Deployment d : kube.apps().deployments().inNamespace(ns).list().getItems()) {
                    reconcile(d);
                }
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            } catch (KubernetesClientException | IllegalStateException e) {
                // the mock was closed, or an object changed under us: try again
            }
        }
    }

    private void reconcile(Deployment d) {
        String name = d.getMetadata().getName();
        int replicas = Optional.ofNullable(d.getSpec().getReplicas()).orElse(1);
        Integer before = seen.put(name, replicas);
        if (before == null || before != replicas) {
            timeline.add((replicas > 0 ? "up " : "down ") + name);
        }
        Long generation = Optional.ofNullable(d.getMetadata().getGeneration()).orElse(0L);
        var status = neverProgress.contains(name)
                ? new DeploymentStatusBuilder().withObservedGeneration(generation).withReplicas(replicas).withUpdatedReplicas(replicas)
                        .withAvailableReplicas(0).addNewCondition().withType("Progressing").withStatus("False")
                        .withReason("ProgressDeadlineExceeded").withMessage("ReplicaSet \"" + name + "-1\" has timed out progressing.")
                        .endCondition().build()
                : new DeploymentStatusBuilder().withObservedGeneration(generation).withReplicas(replicas).withUpdatedReplicas(replicas)
                        .withReadyReplicas(replicas).withAvailableReplicas(replicas).addNewCondition().withType("Available")
                        .withStatus("True").endCondition().build();
        if (!status.equals(d.getStatus())) {
            kube.apps().deployments().inNamespace(ns).withName(name).editStatus(x -> {
                x.setStatus(status);
                return x;
            });
        }
        String pod = name + "-0";
        if (replicas > 0 && !neverProgress.contains(name) && kube.pods().inNamespace(ns).withName(pod).get() == null) {
            kube.pods().inNamespace(ns).resource(pod(d, pod)).create();
        } else if (replicas == 0 && kube.pods().inNamespace(ns).withName(pod).get() != null) {
            kube.pods().inNamespace(ns).withName(pod).delete();
        }
    }

    private Pod pod(Deployment d, String name) {
        List<io.fabric8.kubernetes.api.model.Container> containers = new ArrayList<>(d.getSpec().getTemplate().getSpec().getContainers());
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(ns)
                .withLabels(d.getSpec().getTemplate().getMetadata().getLabels()).endMetadata()
                .withNewSpec().withContainers(containers).endSpec()
                .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus()
                .build();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
