package dev.opsctl.target.kube;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Plays the Deployment controller and the kubelet on the mock server for one namespace, in a
 * background thread: every pod template a Deployment gets becomes a ReplicaSet with the next revision
 * (a template seen before, as after an undo, gets its ReplicaSet a new revision, as the controller
 * does), pods are kept for the live ReplicaSet, and the status says how far the rollout got. An image
 * marked {@link #broken} never becomes available: its pods are not Ready and, after
 * {@code progressDeadline} without progress, the Progressing condition says ProgressDeadlineExceeded;
 * a Deployment marked {@link #stuck} gets no pods and says so at once. {@link #timeline()} records,
 * in order, when each Deployment came up ("up NAME") and went to 0 replicas ("down NAME").
 */
public final class PlayedController implements AutoCloseable {
    private static final String REVISION = "deployment.kubernetes.io/revision";
    private final KubernetesClient k;
    private final String ns;
    private final Duration progressDeadline;
    private final Set<String> broken = ConcurrentHashMap.newKeySet();
    private final Set<String> stuck = ConcurrentHashMap.newKeySet();
    private final List<String> timeline = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> seenReplicas = new HashMap<>();
    private final Map<String, Instant> stuckSince = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private final java.util.concurrent.atomic.AtomicLong rounds = new java.util.concurrent.atomic.AtomicLong();
    private volatile RuntimeException failure;

    public PlayedController(KubernetesClient k, String ns, Duration progressDeadline) {
        this.k = k;
        this.ns = ns;
        this.progressDeadline = progressDeadline;
        this.thread = new Thread(this::loop, "played-controller");
        thread.setDaemon(true);
        thread.start();
    }

    /** Pods of this image never become Ready. */
    public PlayedController broken(String image) {
        broken.add(image);
        return this;
    }

    /** This Deployment never progresses: no pods, ProgressDeadlineExceeded from the start. */
    public PlayedController stuck(String deployment) {
        stuck.add(deployment);
        return this;
    }

    /**
     * Returns once a whole round has seen the Deployments as they are now: a run started after it cannot
     * scale one down before the timeline saw it up (a busy machine delays the first round by seconds).
     */
    public void awaitRound() throws InterruptedException {
        long until = rounds.get() + 2; // the round under way may have listed before the call
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (rounds.get() < until) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the played controller did no round in 30 s", failure);
            }
            Thread.sleep(10);
        }
    }

    /** "up NAME" when a Deployment first had replicas (again), "down NAME" when it went to 0, in order. */
    public List<String> timeline() {
        return timeline;
    }

    private void loop() {
        while (running) {
            try {
                // in write order, so that two changes seen in one round enter the timeline as they happened
                List<Deployment> deployments = new ArrayList<>(k.apps().deployments().inNamespace(ns).list().getItems());
                deployments.sort(Comparator.comparingLong(PlayedController::resourceVersion));
                for (Deployment d : deployments) {
                    reconcile(d);
                }
            } catch (RuntimeException e) {
                // a conflict with the runbook's own writes: the next round sees the new state
                failure = e;
            }
            rounds.incrementAndGet();
            try {
                Thread.sleep(40);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static long resourceVersion(Deployment d) {
        try {
            return Long.parseLong(Objects.requireNonNullElse(d.getMetadata().getResourceVersion(), "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String key(Deployment d) {
        return Serialization.asJson(d.getSpec().getTemplate().getSpec());
    }

    private List<ReplicaSet> owned(Deployment d) {
        return k.apps().replicaSets().inNamespace(ns).list().getItems().stream()
                .filter(rs -> Objects.requireNonNullElse(rs.getMetadata().getOwnerReferences(), List.<io.fabric8.kubernetes.api.model.OwnerReference>of())
                        .stream().anyMatch(o -> o.getName().equals(d.getMetadata().getName())))
                .toList();
    }

    private static long revision(ReplicaSet rs) {
        return Long.parseLong(rs.getMetadata().getAnnotations().getOrDefault(REVISION, "0"));
    }

    private void reconcile(Deployment d) {
        String name = d.getMetadata().getName();
        int wanted = Objects.requireNonNullElse(d.getSpec().getReplicas(), 1);
        Integer before = seenReplicas.put(name, wanted);
        if (before == null ? wanted > 0 : (before > 0) != (wanted > 0)) {
            timeline.add((wanted > 0 ? "up " : "down ") + name);
        }
        List<ReplicaSet> owned = owned(d);
        long max = owned.stream().mapToLong(PlayedController::revision).max().orElse(0);
        String key = key(d);
        Optional<ReplicaSet> live = owned.stream().filter(rs -> Serialization.asJson(rs.getSpec().getTemplate().getSpec()).equals(key)).findFirst();
        long revision;
        String rsName;
        if (live.isEmpty()) {
            revision = max + 1;
            rsName = name + "-" + revision;
            Map<String, String> labels = new LinkedHashMap<>(Objects.requireNonNullElse(d.getSpec().getTemplate().getMetadata().getLabels(), Map.of()));
            labels.put("pod-template-hash", "h" + revision);
            ReplicaSet rs = new ReplicaSetBuilder().withNewMetadata().withName(rsName).withNamespace(ns).withLabels(labels)
                    .withAnnotations(Map.of(REVISION, String.valueOf(revision)))
                    .addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment").withName(name).withUid(d.getMetadata().getUid())
                    .withController(true).endOwnerReference().endMetadata()
                    .withNewSpec().withReplicas(d.getSpec().getReplicas()).withSelector(d.getSpec().getSelector())
                    .withNewTemplateLike(d.getSpec().getTemplate()).editOrNewMetadata().withLabels(labels).endMetadata().endTemplate()
                    .endSpec().build();
            k.apps().replicaSets().inNamespace(ns).resource(rs).create();
        } else {
            rsName = live.get().getMetadata().getName();
            revision = revision(live.get());
            if (revision < max) {
                revision = max + 1;
                long next = revision;
                k.apps().replicaSets().inNamespace(ns).withName(rsName).edit(rs -> {
                    Map<String, String> a = new HashMap<>(rs.getMetadata().getAnnotations());
                    a.put(REVISION, String.valueOf(next));
                    rs.getMetadata().setAnnotations(a);
                    return rs;
                });
            }
        }
        String current = Optional.ofNullable(d.getMetadata().getAnnotations()).map(a -> a.get(REVISION)).orElse("");
        if (!current.equals(String.valueOf(revision))) {
            long rev = revision;
            d = k.apps().deployments().inNamespace(ns).withName(name).edit(x -> {
                Map<String, String> a = new HashMap<>(Objects.requireNonNullElse(x.getMetadata().getAnnotations(), Map.of()));
                a.put(REVISION, String.valueOf(rev));
                x.getMetadata().setAnnotations(a);
                return x;
            });
        }
        boolean healthy = !stuck.contains(name)
                && d.getSpec().getTemplate().getSpec().getContainers().stream().noneMatch(c -> broken.contains(c.getImage()));
        int replicas = Objects.requireNonNullElse(d.getSpec().getReplicas(), 1);
        pods(d, rsName, stuck.contains(name) ? 0 : replicas, healthy);
        status(d, replicas, healthy);
    }

    /**
     * The live ReplicaSet's pods {@code <rs>-0} .. {@code <rs>-(replicas-1)} exist, Ready unless
     * broken; the pods of other templates and those beyond a scale-down are gone.
     */
    private void pods(Deployment d, String rsName, int replicas, boolean healthy) {
        String name = d.getMetadata().getName();
        for (Pod p : k.pods().inNamespace(ns).withLabel("played-by", name).list().getItems()) {
            String pod = p.getMetadata().getName();
            String index = pod.startsWith(rsName + "-") ? pod.substring(rsName.length() + 1) : "";
            if (index.isEmpty() || !index.chars().allMatch(Character::isDigit) || Integer.parseInt(index) >= replicas) {
                k.pods().inNamespace(ns).withName(pod).delete();
            }
        }
        for (int i = 0; i < replicas; i++) {
            String pod = rsName + "-" + i;
            if (k.pods().inNamespace(ns).withName(pod).get() != null) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>(Objects.requireNonNullElse(d.getSpec().getTemplate().getMetadata().getLabels(), Map.of()));
            labels.put("played-by", name);
            String container = d.getSpec().getTemplate().getSpec().getContainers().get(0).getName();
            Pod p = new PodBuilder().withNewMetadata().withName(pod).withNamespace(ns).withLabels(labels).endMetadata()
                    .withSpec(d.getSpec().getTemplate().getSpec())
                    .withNewStatus().withPhase(healthy ? "Running" : "Pending")
                    .withConditions(new PodConditionBuilder().withType("Ready").withStatus(healthy ? "True" : "False").build())
                    .withContainerStatuses(new ContainerStatusBuilder().withName(container).withReady(healthy).withRestartCount(0).build())
                    .endStatus().build();
            k.pods().inNamespace(ns).resource(p).create();
        }
    }

    private void status(Deployment d, int replicas, boolean healthy) {
        String name = d.getMetadata().getName();
        long generation = Objects.requireNonNullElse(d.getMetadata().getGeneration(), 0L);
        DeploymentStatus s;
        if (healthy) {
            stuckSince.keySet().removeIf(x -> x.startsWith(name + "@"));
            s = new DeploymentStatusBuilder().withObservedGeneration(generation).withReplicas(replicas).withUpdatedReplicas(replicas)
                    .withAvailableReplicas(replicas).withReadyReplicas(replicas)
                    .withConditions(new DeploymentConditionBuilder().withType("Available").withStatus("True").build(),
                            new DeploymentConditionBuilder().withType("Progressing").withStatus("True").withReason("NewReplicaSetAvailable").build())
                    .build();
        } else {
            Instant since = stuckSince.computeIfAbsent(name + "@" + key(d).hashCode(), x -> Instant.now());
            boolean deadline = stuck.contains(name) || Duration.between(since, Instant.now()).compareTo(progressDeadline) >= 0;
            int serving = stuck.contains(name) ? 0 : replicas; // a stuck Deployment has no old pods either
            s = new DeploymentStatusBuilder().withObservedGeneration(generation).withReplicas(replicas + 1).withUpdatedReplicas(1)
                    .withAvailableReplicas(serving).withReadyReplicas(serving)
                    .withConditions(deadline
                            ? new DeploymentConditionBuilder().withType("Progressing").withStatus("False").withReason("ProgressDeadlineExceeded")
                                    .withMessage("ReplicaSet has timed out progressing.").build()
                            : new DeploymentConditionBuilder().withType("Progressing").withStatus("True").withReason("ReplicaSetUpdated").build())
                    .build();
        }
        if (!Serialization.asJson(s).equals(Serialization.asJson(Objects.requireNonNullElse(d.getStatus(), new DeploymentStatus())))) {
            k.apps().deployments().inNamespace(ns).withName(name).editStatus(x -> {
                x.setStatus(s);
                return x;
            });
        }
    }

    /** The last error of a round (a write that raced with the runbook's), for an assertion message. */
    public Optional<RuntimeException> lastError() {
        return Optional.ofNullable(failure);
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
