package dev.opsctl.action.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.FakeStepContext;
import dev.opsctl.action.ParseFixture;
import dev.opsctl.action.StepResult;
import dev.opsctl.action.StepResult.Outcome;
import dev.opsctl.target.kube.KubeConnections;
import dev.opsctl.target.kube.MockCluster;
import dev.opsctl.target.local.LocalTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeActionTypeTest {
    @TempDir
    Path tmp;

    private MockCluster k;
    private KubeActionType type;
    private FakeStepContext ctx;
    private ParseFixture fx;

    @BeforeEach
    void setUp() {
        k = new MockCluster();
        type = new KubeActionType(KubeConnections.of(k.target));
        ctx = new FakeStepContext(new LocalTarget("controller"), tmp);
        fx = new ParseFixture(tmp);
    }

    @AfterEach
    void tearDown() {
        k.close();
    }

    private StepResult run(String yaml) throws Exception {
        return type.execute(fx.parseClean(type, yaml), ctx);
    }

    private String problems(String yaml) {
        fx.parse(type, yaml);
        return fx.rendered();
    }

    @Test
    void getWithAFieldIsAProbeForExpect() throws Exception {
        k.deployment("web", "api:1", 3);
        k.fabric8.apps().deployments().inNamespace("prod").withName("web").editStatus(d -> {
            d.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder().withReadyReplicas(3).build());
            return d;
        });
        StepResult r = run("kube: {get: {kind: Deployment, name: web, field: status.readyReplicas}}\n");
        assertEquals(Outcome.OK, r.outcome(), r.message());
        assertEquals(3L, r.data().get("value"));
        assertTrue(ctx.test("value >= 3", r.fields()));
        assertEquals("deployment 'web' in namespace 'prod': status.readyReplicas = 3", r.message());
    }

    @Test
    void getOfPodsBySelectorCountsRestartsAndReadiness() throws Exception {
        for (int i = 1; i <= 2; i++) {
            var p = MockCluster.pod("web-" + i, "web");
            p.getStatus().setContainerStatuses(List.of(new io.fabric8.kubernetes.api.model.ContainerStatusBuilder().withName("app")
                    .withRestartCount(i * 2).build()));
            p.getStatus().setConditions(List.of(new io.fabric8.kubernetes.api.model.PodConditionBuilder().withType("Ready")
                    .withStatus(i == 1 ? "True" : "False").build()));
            k.fabric8.pods().inNamespace("prod").resource(p).create();
        }
        StepResult r = run("kube: {get: {kind: pods, selector: app=web}}\n");
        assertEquals(2L, r.data().get("count"));
        assertEquals(6L, r.data().get("restarts"));
        assertEquals(1L, r.data().get("ready"));
        assertTrue(ctx.test("restarts > 5", r.fields()));
    }

    @Test
    void aMissingObjectFailsWithItsNameUnlessOptional() throws Exception {
        StepResult r = run("kube: {namespace: app, get: {kind: Deployment, name: web}}\n");
        assertEquals(Outcome.FAILED, r.outcome());
        assertEquals("deployment 'web' not found in namespace 'app'", r.message());
        StepResult o = run("kube: {get: {kind: Deployment, name: web, optional: true}}\n");
        assertEquals(Outcome.OK, o.outcome());
        assertEquals(false, o.data().get("exists"));
    }

    @Test
    void applyRendersAStructuredManifestValueByValue() throws Exception {
        ctx.set("version", "1.2.4").set("note", "it's \"quoted\"");
        StepResult r = run("""
                kube:
                  apply:
                    manifest:
                      apiVersion: v1
                      kind: ConfigMap
                      metadata: {name: release}
                      data: {version: "{{ version }}", note: "{{ note }}"}
                """);
        assertEquals(Outcome.CHANGED, r.outcome(), r.message());
        assertTrue(r.message().startsWith("applied configmap/release created"), r.message());
        var cm = k.fabric8.configMaps().inNamespace("prod").withName("release").get();
        assertEquals("1.2.4", cm.getData().get("version"));
        assertEquals("it's \"quoted\"", cm.getData().get("note"));
        assertEquals("created", ((Map<?, ?>) ((List<?>) r.data().get("applied")).get(0)).get("action"));
    }

    @Test
    void applyReadsAndRendersAFile() throws Exception {
        Files.writeString(tmp.resolve("canary.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api-server-canary}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: api-server, version: canary}}
                  template:
                    metadata: {labels: {app: api-server, version: canary}}
                    spec: {containers: [{name: api, image: "registry.example/api:{{ version }}"}]}
                """);
        ctx.set("version", "1.2.4");
        StepResult r = run("kube: {namespace: app, apply: {file: canary.yaml}}\n");
        assertEquals(Outcome.CHANGED, r.outcome(), r.message());
        assertEquals("registry.example/api:1.2.4", k.fabric8.apps().deployments().inNamespace("app").withName("api-server-canary").get()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    }

    @Test
    void scaleTakesATemplatedReplicaCount() throws Exception {
        k.deployment("web", "api:1", 3);
        ctx.set("replicas", 5);
        StepResult r = run("kube: {scale: {name: web, replicas: '{{ replicas }}'}}\n");
        assertEquals(Outcome.CHANGED, r.outcome(), r.message());
        assertEquals(3L, r.data().get("previous_replicas"));
        assertEquals("deployment 'web' in namespace 'prod' scaled from 3 to 5 replicas", r.message());
    }

    @Test
    void mergePatchWrittenAsYaml() throws Exception {
        k.deployment("web", "api:1", 3);
        StepResult r = run("kube: {patch: {kind: Deployment, name: web, patch: {spec: {replicas: 1}}}}\n");
        assertEquals(Outcome.CHANGED, r.outcome(), r.message());
        assertEquals(1, k.fabric8.apps().deployments().inNamespace("prod").withName("web").get().getSpec().getReplicas());
    }

    @Test
    void setImageThenRolloutStatusTimesOutWithTheReason() throws Exception {
        k.deployment("web", "api:1", 3);
        StepResult set = run("kube: {set_image: {deployment: web, container: app, image: 'api:2'}}\n");
        assertEquals(Outcome.CHANGED, set.outcome());
        assertEquals("api:1", set.data().get("previous_image"));
        StepResult status = run("kube: {rollout_status: {deployment: web, timeout: 500ms}}\n");
        assertEquals(Outcome.TIMED_OUT, status.outcome());
        assertTrue(status.message().startsWith("rollout of deployment 'web' in namespace 'prod' not complete after 500ms: "), status.message());
        assertEquals(false, status.data().get("ready"));
    }

    @Test
    void waitForAConditionSetLater() throws Exception {
        k.deployment("web", "api:1", 3);
        CompletableFuture<Void> controller = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            k.fabric8.apps().deployments().inNamespace("prod").withName("web").editStatus(d -> {
                d.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder().addNewCondition().withType("Available")
                        .withStatus("True").endCondition().build());
                return d;
            });
        });
        StepResult r = run("kube: {wait: {kind: Deployment, name: web, condition: Available, timeout: 10s}}\n");
        controller.join();
        assertEquals(Outcome.OK, r.outcome(), r.message());
        StepResult never = run("kube: {wait: {kind: Deployment, name: web, field: status.readyReplicas, until: 'value >= 3', timeout: 300ms}}\n");
        assertEquals(Outcome.TIMED_OUT, never.outcome());
        assertEquals("deployment 'web' in namespace 'prod': 'value >= 3' did not hold within 300ms (value: )", never.message());
    }

    @Test
    void deleteWithWaitIsIdempotent() throws Exception {
        k.deployment("api-server-canary", "api:2", 1);
        StepResult first = run("kube: {delete: {kind: Deployment, name: api-server-canary, wait: true}}\n");
        assertEquals(Outcome.CHANGED, first.outcome(), first.message());
        StepResult again = run("kube: {delete: {kind: Deployment, name: api-server-canary}}\n");
        assertEquals(Outcome.OK, again.outcome());
        assertEquals(0L, again.data().get("count"));
    }

    @Test
    void parseProblemsHavePositionsAndHints() throws Exception {
        assertTrue(problems("kube: {namespace: app}\n").contains("step.yaml:1:7: error: 'kube' needs one operation"), fx.rendered());
        fx = new ParseFixture(tmp);
        assertTrue(problems("kube: {get: {kind: Deployment, name: web}, scale: {name: web, replicas: 2}}\n")
                .contains("error: 'kube' takes one operation, found 'get' and 'scale'"), fx.rendered());
        fx = new ParseFixture(tmp);
        assertTrue(problems("kube: {get: {kind: Deploymnet, name: web}}\n").contains("did you mean 'deployment'?"), fx.rendered());
        fx = new ParseFixture(tmp);
        assertTrue(problems("kube: {get: {kind: Pod, name: web, field: 'status.conditions[type=Ready'}}\n")
                .contains("'field' in 'get' in 'kube' is not a field path: '[' at offset 17 is not closed"), fx.rendered());
        fx = new ParseFixture(tmp);
        assertTrue(problems("kube: {rollout_undo: {deployment: web, to_revison: 2}}\n").contains("did you mean 'to_revision'?"), fx.rendered());
        fx = new ParseFixture(tmp);
        assertTrue(problems("kube: {apply: {file: missing.yaml}}\n").contains("manifest file 'missing.yaml' does not exist"), fx.rendered());
    }

    @Test
    void rolloutShorthandsTakeJustTheName() throws Exception {
        KubeSpec s = fx.parseClean(type, "kube: {rollout_status: web}\n");
        assertEquals(new KubeOp.RolloutStatus("web", Duration.ofMinutes(10)), s.op());
        assertEquals("kube rollout_status web", type.summary(s));
    }
}
