package dev.opsctl.target.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.TargetException;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rollouts on the mock: no controller runs, so the tests play it (status from another thread, ReplicaSets by hand). */
class KubeRolloutsTest {
    private final MockCluster k = new MockCluster();
    private final KubeRef web = KubeRef.named("Deployment", "web", "");

    @AfterEach
    void tearDown() {
        k.close();
    }

    private void status(DeploymentStatus s) {
        k.fabric8.apps().deployments().inNamespace("prod").withName("web").editStatus(d -> {
            d.setStatus(s);
            return d;
        });
    }

    private static DeploymentStatus counts(long generation, int replicas, int updated, int available) {
        return new DeploymentStatusBuilder().withObservedGeneration(generation).withReplicas(replicas).withUpdatedReplicas(updated)
                .withAvailableReplicas(available).withReadyReplicas(available).build();
    }

    private long generation() {
        Long g = k.fabric8.apps().deployments().inNamespace("prod").withName("web").get().getMetadata().getGeneration();
        return g == null ? 0 : g;
    }

    @Test
    void rolloutStatusWatchesUntilTheControllerReportsEveryReplicaAvailable() throws Exception {
        k.deployment("web", "api:1", 3);
        long gen = generation();
        status(counts(gen, 4, 2, 2));
        CompletableFuture<Void> controller = CompletableFuture.runAsync(() -> {
            pause(300);
            status(counts(gen, 3, 3, 2));
            pause(300);
            status(counts(gen, 3, 3, 3));
        });
        long start = System.nanoTime();
        KubeTarget.RolloutState s = k.target.rolloutStatus(web, Duration.ofSeconds(20));
        controller.join();
        assertTrue(s.done(), s.reason());
        assertEquals(3, s.available());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10, "a watch, not a long poll");
    }

    @Test
    void rolloutStatusTimesOutSayingWhichConditionIsMissing() throws Exception {
        k.deployment("web", "api:1", 3);
        status(counts(generation(), 3, 3, 2));
        KubeTarget.RolloutState s = k.target.rolloutStatus(web, Duration.ofMillis(700));
        assertFalse(s.done());
        assertFalse(s.failed());
        assertEquals("2 of 3 updated replicas available", s.reason());
    }

    /** A client of the mock through a {@link WatchBreakingProxy}. */
    private KubeClient through(WatchBreakingProxy proxy) {
        var client = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl(proxy.url()).withNamespace("prod")
                        .withRequestRetryBackoffLimit(0).build())
                .withHttpClientFactory(new io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory()).build();
        return KubeClient.over(client, "proxied");
    }

    private static void awaitWatch(WatchBreakingProxy proxy) {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (proxy.openWatches() == 0) {
            if (System.nanoTime() > end) {
                throw new AssertionError("no watch opened through the proxy");
            }
            pause(20);
        }
    }

    @Test
    void aWatchBrokenByAProtocolErrorIsOpenedAgainAndTheRolloutStillCompletes() throws Exception {
        k.deployment("web", "api:1", 3);
        long gen = generation();
        status(counts(gen, 3, 3, 1));
        try (WatchBreakingProxy proxy = new WatchBreakingProxy(k.server.getPort()); KubeClient kube = through(proxy)) {
            CompletableFuture<Void> controller = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < 3; i++) {
                        awaitWatch(proxy);
                        proxy.garbleWatches();
                    }
                    awaitWatch(proxy);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                status(counts(gen, 3, 3, 3));
            });
            KubeTarget.RolloutState s = kube.rolloutStatus(web, Duration.ofSeconds(30));
            controller.join();
            assertTrue(s.done(), s.reason());
            assertEquals(3, s.available());
            assertEquals(3, proxy.garbled(), "each watch was broken and opened again");
        }
    }

    @Test
    void aWaitWhoseWatchBreaksGoesOnUntilTheObjectAppears() throws Exception {
        KubeRef cm = KubeRef.named("ConfigMap", "flag", "");
        try (WatchBreakingProxy proxy = new WatchBreakingProxy(k.server.getPort()); KubeClient kube = through(proxy)) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    awaitWatch(proxy);
                    proxy.garbleWatches();
                    awaitWatch(proxy);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                k.fabric8.configMaps().inNamespace("prod").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                        .withNewMetadata().withName("flag").endMetadata().addToData("on", "yes").build()).create();
            });
            KubeTarget.Waited w = kube.waitFor(cm, m -> !m.isEmpty(), Duration.ofSeconds(30));
            writer.join();
            assertTrue(w.met());
            assertEquals(1, proxy.garbled());
        }
    }

    /** A rollout status through a proxy, with {@code outage} once its watch is open: what it fails with. */
    private TargetException rolloutStatusFailingAfter(java.util.function.Consumer<WatchBreakingProxy> outage, Duration timeout)
            throws Exception {
        k.deployment("web", "api:1", 3);
        status(counts(generation(), 3, 3, 1));
        try (WatchBreakingProxy proxy = new WatchBreakingProxy(k.server.getPort()); KubeClient kube = through(proxy)) {
            CompletableFuture<Void> cut = CompletableFuture.runAsync(() -> {
                awaitWatch(proxy);
                outage.accept(proxy);
            });
            TargetException e = assertThrows(TargetException.class, () -> kube.rolloutStatus(web, timeout));
            cut.join();
            return e;
        }
    }

    @Test
    void anApiServerThatGoesAwayDuringTheWatchFailsTheRolloutAsUnreachableNotAsStuck() throws Exception {
        TargetException e = rolloutStatusFailingAfter(proxy -> k.server.destroy(), Duration.ofSeconds(10));
        assertEquals(TargetException.Kind.UNREACHABLE, e.kind(), e.getMessage());
        assertTrue(e.getMessage().startsWith("kube context 'proxied' is unreachable"), e.getMessage());
    }

    @Test
    void anApiServerThatTakesRequestsInAndNeverAnswersFailsTheRolloutAsUnreachableAtItsTimeout() throws Exception {
        long start = System.nanoTime();
        TargetException e = rolloutStatusFailingAfter(WatchBreakingProxy::blackHole, Duration.ofSeconds(3));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(TargetException.Kind.UNREACHABLE, e.kind(), e.getMessage());
        assertEquals("kube context 'proxied' is unreachable: no answer to a read of deployment 'web' in namespace 'prod' within the "
                + "wait's timeout and 2s more", e.getMessage());
        // the client's own request timeout is 10 s: the last read is cut at the step's timeout plus the grace
        // (~5 s; 15 s without the cut). 6 s of slack: the full unit suite on 2 cores once took 9.5 s here
        assertTrue(took.compareTo(Duration.ofMillis(3000 + KubeWatch.READ_GRACE.toMillis() + 6000)) < 0, took.toString());
    }

    @Test
    void progressDeadlineExceededFailsTheRolloutAtOnce() throws Exception {
        k.deployment("web", "api:1", 3);
        DeploymentStatus s = counts(generation(), 3, 1, 1);
        s.setConditions(List.of(new DeploymentConditionBuilder().withType("Progressing").withStatus("False")
                .withReason("ProgressDeadlineExceeded").withMessage("ReplicaSet \"web-2\" has timed out progressing.").build()));
        status(s);
        KubeTarget.RolloutState r = k.target.rolloutStatus(web, Duration.ofSeconds(30));
        assertTrue(r.failed());
        assertEquals("ProgressDeadlineExceeded: ReplicaSet \"web-2\" has timed out progressing.", r.reason());
    }

    @Test
    void setImageChangesOneContainerAndNamesTheOthersWhenItIsMissing() throws Exception {
        k.deployment("web", "api:1", 3);
        assertEquals("api:1", k.target.setImage(web, "app", "api:2"));
        assertEquals("api:2", k.fabric8.apps().deployments().inNamespace("prod").withName("web").get()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        TargetException e = assertThrows(TargetException.class, () -> k.target.setImage(web, "api", "api:3"));
        assertEquals("deployment 'web' in namespace 'prod' has no container 'api' (containers: app)", e.getMessage());
    }

    /** Three revisions as the controller would leave them: ReplicaSets owned by the Deployment, revision annotations. */
    private void threeRevisions() {
        Deployment d = k.deployment("web", "api:3", 3);
        for (int rev = 1; rev <= 3; rev++) {
            ReplicaSet rs = new ReplicaSetBuilder().withNewMetadata().withName("web-" + rev).withNamespace("prod")
                    .withLabels(Map.of("app", "web", "pod-template-hash", "h" + rev))
                    .withAnnotations(Map.of("deployment.kubernetes.io/revision", String.valueOf(rev), "kubernetes.io/change-cause", "deploy " + rev))
                    .addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment").withName("web")
                    .withUid(d.getMetadata().getUid()).withController(true).endOwnerReference().endMetadata()
                    .withNewSpec().withReplicas(rev == 3 ? 3 : 0).withNewSelector().withMatchLabels(Map.of("app", "web")).endSelector()
                    .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "web", "pod-template-hash", "h" + rev)).endMetadata()
                    .withNewSpec().addNewContainer().withName("app").withImage("api:" + rev).endContainer().endSpec().endTemplate()
                    .endSpec().build();
            k.fabric8.apps().replicaSets().inNamespace("prod").resource(rs).create();
        }
        k.fabric8.apps().deployments().inNamespace("prod").withName("web").edit(x -> {
            x.getMetadata().setAnnotations(Map.of("deployment.kubernetes.io/revision", "3"));
            return x;
        });
    }

    @Test
    void historyListsRevisionsFromReplicaSets() throws Exception {
        threeRevisions();
        List<KubeTarget.Revision> h = k.target.rolloutHistory(web);
        assertEquals(List.of(1L, 2L, 3L), h.stream().map(KubeTarget.Revision::number).toList());
        assertEquals("deploy 2", h.get(1).changeCause());
        assertEquals(List.of("api:2"), h.get(1).images());
        assertTrue(h.get(2).current());
        assertFalse(h.get(0).current());
    }

    @Test
    void undoCopiesThePreviousRevisionsTemplateWithoutItsHashLabel() throws Exception {
        threeRevisions();
        KubeTarget.RolledBack rb = k.target.rolloutUndo(web, OptionalLong.empty());
        assertTrue(rb.changed());
        assertEquals(3, rb.from());
        assertEquals(2, rb.to().number());
        var t = k.fabric8.apps().deployments().inNamespace("prod").withName("web").get().getSpec().getTemplate();
        assertEquals("api:2", t.getSpec().getContainers().get(0).getImage());
        assertEquals(Map.of("app", "web"), t.getMetadata().getLabels());
    }

    @Test
    void undoToARevisionRestoresThatTemplateAndRefusesUnknownOnes() throws Exception {
        threeRevisions();
        assertEquals(1, k.target.rolloutUndo(web, OptionalLong.of(1)).to().number());
        assertEquals("api:1", k.fabric8.apps().deployments().inNamespace("prod").withName("web").get()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        TargetException e = assertThrows(TargetException.class, () -> k.target.rolloutUndo(web, OptionalLong.of(7)));
        assertEquals("revision 7 of deployment 'web' in namespace 'prod' not found (revisions: 1, 2, 3)", e.getMessage());
    }

    @Test
    void undoToTheLiveTemplateChangesNothing() throws Exception {
        threeRevisions();
        KubeTarget.RolledBack rb = k.target.rolloutUndo(web, OptionalLong.of(3));
        assertFalse(rb.changed());
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
