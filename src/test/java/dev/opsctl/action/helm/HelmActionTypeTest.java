package dev.opsctl.action.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.FakeStepContext;
import dev.opsctl.action.ParseFixture;
import dev.opsctl.action.StepResult;
import dev.opsctl.action.StepResult.Outcome;
import dev.opsctl.target.helm.HelmTarget;
import dev.opsctl.target.kube.KubeConnections;
import dev.opsctl.target.kube.MockCluster;
import dev.opsctl.target.local.LocalTarget;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The helm step with real Helm (helm-java's native library) for template and lint, and {@code via: kube}
 * against fabric8's mock API server in CRUD mode. {@code via: helm} release operations need a real
 * cluster (Helm cannot talk to the mock) and are not exercised here.
 */
class HelmActionTypeTest {
    /** One Helm for the class: its native library loads once per JVM anyway. */
    private static final HelmTarget HELM = HelmTarget.lazy();

    @TempDir
    Path tmp;

    private Path charts;
    private MockCluster k;
    private HelmActionType type;
    private FakeStepContext ctx;
    private ParseFixture fx;

    @BeforeAll
    static void quietMockServer() {
        Logger.getLogger("io.fabric8.mockwebserver").setLevel(Level.WARNING);
    }

    @BeforeEach
    void setUp() throws Exception {
        charts = Path.of(HelmActionTypeTest.class.getResource("/charts/hello/Chart.yaml").toURI()).getParent().getParent();
        k = new MockCluster();
        type = new HelmActionType(KubeConnections.of(k.target), context -> "", HELM);
        ctx = new FakeStepContext(new LocalTarget("controller"), tmp);
        fx = new ParseFixture(charts);
    }

    @AfterEach
    void tearDown() {
        k.close();
    }

    private StepResult run(String yaml) throws Exception {
        return type.execute(fx.parseClean(type, yaml), ctx);
    }

    private String problems(String yaml) {
        fx = new ParseFixture(charts);
        fx.parse(type, yaml);
        return fx.rendered();
    }

    @Test
    void templateRendersTheChartWithValuesFilesSetAndNameOverride() throws Exception {
        ctx.set("tag", "2.0.0");
        StepResult r = run("""
                helm:
                  namespace: prod
                  template:
                    release: app
                    chart: hello
                    values: [hello-production.yaml]
                    set: {image.tag: "{{ tag }}"}
                    name_override: web
                """);
        assertEquals(Outcome.OK, r.outcome(), r.message());
        assertEquals("chart 'hello' as release 'app' in namespace 'prod': rendered 3 objects "
                + "(configmap/app-web, service/app-web, deployment/app-web)", r.message());
        String manifest = (String) r.data().get("manifest");
        assertTrue(manifest.contains("replicas: 3"), manifest);
        assertTrue(manifest.contains("greeting: \"hello from production\""), manifest);
        assertTrue(manifest.contains("image: \"registry.example/hello:2.0.0\""), manifest);
        assertTrue(manifest.contains("app.kubernetes.io/name: web"), manifest);
        assertEquals(3L, r.data().get("objects"));
        assertEquals(List.of("configmap", "service", "deployment"), r.data().get("kinds"));
        assertEquals(manifest, r.stdout());
    }

    @Test
    void templateWithoutOverridesUsesTheChartsDefaults() throws Exception {
        StepResult r = run("helm: {template: {release: app, chart: hello}}\n");
        String manifest = (String) r.data().get("manifest");
        assertTrue(manifest.contains("name: app-hello"), manifest);
        assertTrue(manifest.contains("replicas: 1"), manifest);
        assertTrue(manifest.contains("registry.example/hello:1.0.0"), manifest);
    }

    @Test
    void aSetValueKeepsItsCommasAndBackslashes() throws Exception {
        ctx.set("greeting", "hi, there \\o/");
        StepResult r = run("helm: {template: {release: app, chart: hello, set: {greeting: '{{ greeting }}'}}}\n");
        assertEquals(Outcome.OK, r.outcome(), r.message());
        assertTrue(((String) r.data().get("manifest")).contains("greeting: \"hi, there \\\\o/\""), (String) r.data().get("manifest"));
    }

    @Test
    void lintPassesAGoodChartAndFailsABrokenOneWithHelmsMessage() throws Exception {
        StepResult good = run("helm: {lint: {chart: hello}}\n");
        assertEquals(Outcome.OK, good.outcome(), good.message());
        assertEquals("passed", good.data().get("status"));
        StepResult bad = run("helm: {lint: {chart: broken}}\n");
        assertEquals(Outcome.FAILED, bad.outcome());
        assertTrue(bad.message().startsWith("chart 'broken' failed lint: [ERROR] templates/: parse error at (broken/templates/configmap.yaml:4)"),
                bad.message());
    }

    @Test
    void lintAppliesValuesAndSet() throws Exception {
        StepResult r = run("helm: {lint: {chart: hello, set: {image: oops}}}\n");
        assertEquals(Outcome.FAILED, r.outcome(), r.message());
        assertTrue(r.message().contains("with the given values"), r.message());
    }

    @Test
    void viaKubeInstallAppliesEveryRenderedObjectWithHelmsOwnershipMarks() throws Exception {
        StepResult r = run("""
                helm:
                  install: {release: app, chart: hello, name_override: web, via: kube}
                """);
        assertEquals(Outcome.CHANGED, r.outcome(), r.message());
        assertEquals("release 'app' in namespace 'prod': installed via kube, revision 1, 3 objects (configmap/app-web created, "
                + "service/app-web created, deployment/app-web created)", r.message());
        Deployment d = k.fabric8.apps().deployments().inNamespace("prod").withName("app-web").get();
        assertEquals("Helm", d.getMetadata().getLabels().get("app.kubernetes.io/managed-by"));
        assertEquals("web", d.getMetadata().getLabels().get("app.kubernetes.io/name"));
        assertEquals("app", d.getMetadata().getAnnotations().get("meta.helm.sh/release-name"));
        assertEquals("prod", d.getMetadata().getAnnotations().get("meta.helm.sh/release-namespace"));
        assertNotNull(k.fabric8.services().inNamespace("prod").withName("app-web").get());
        assertEquals(3L, r.data().get("objects"));
        assertEquals("deployed", r.data().get("status"));
    }

    @Test
    void viaKubeInstallRefusesAReleaseThatExistsAndUpgradeRefusesOneThatDoesNot() throws Exception {
        StepResult up = run("helm: {upgrade: {release: app, chart: hello, via: kube}}\n");
        assertEquals(Outcome.FAILED, up.outcome());
        assertEquals("release 'app' in namespace 'prod': cannot upgrade: the release does not exist; write install: true to install it",
                up.message());
        assertEquals(Outcome.CHANGED, run("helm: {upgrade: {release: app, chart: hello, install: true, via: kube}}\n").outcome());
        StepResult again = run("helm: {install: {release: app, chart: hello, via: kube}}\n");
        assertEquals(Outcome.FAILED, again.outcome());
        assertTrue(again.message().contains("cannot install: the release exists (3 objects carry its annotations, 1 revision recorded); use upgrade"), again.message());
    }

    @Test
    void viaKubeUpgradeChangesObjectsAndDeletesWhatTheChartNoLongerRenders() throws Exception {
        run("helm: {namespace: prod, install: {release: app, chart: hello, via: kube}}\n");
        ctx.set("tag", "2.0.0");
        StepResult same = run("helm: {upgrade: {release: app, chart: hello, via: kube}}\n");
        assertTrue(same.message().startsWith("release 'app' in namespace 'prod': upgraded via kube, revision 2, 3 objects"), same.message());
        StepResult r = run("helm: {upgrade: {release: app, chart: hello, name_override: web, set: {image.tag: '{{ tag }}'}, via: kube}}\n");
        assertEquals(Outcome.CHANGED, r.outcome(), r.message());
        assertTrue(r.message().endsWith("deleted deployment/app-hello, service/app-hello, configmap/app-hello"), r.message());
        assertNull(k.fabric8.apps().deployments().inNamespace("prod").withName("app-hello").get());
        ConfigMap cm = k.fabric8.configMaps().inNamespace("prod").withName("app-web").get();
        assertEquals("registry.example/hello:2.0.0", cm.getData().get("image"));
    }

    @Test
    void viaKubeStatusAndUninstallTouchOnlyThatReleasesObjects() throws Exception {
        run("helm: {install: {release: app, chart: hello, via: kube}}\n");
        run("helm: {install: {release: other, chart: hello, via: kube}}\n");
        k.deployment("unrelated", "api:1", 1);
        StepResult s = run("helm: {status: {release: app, via: kube}}\n");
        assertEquals(Outcome.OK, s.outcome(), s.message());
        assertEquals("release 'app' in namespace 'prod': deployed via kube, revision 1, 3 objects (deployment/app-hello, service/app-hello, "
                + "configmap/app-hello)", s.message());
        StepResult u = run("helm: {uninstall: {release: app, via: kube}}\n");
        assertEquals(Outcome.CHANGED, u.outcome(), u.message());
        assertEquals(3L, u.data().get("objects"));
        assertNull(k.fabric8.configMaps().inNamespace("prod").withName("app-hello").get());
        assertNotNull(k.fabric8.configMaps().inNamespace("prod").withName("other-hello").get());
        assertNotNull(k.fabric8.apps().deployments().inNamespace("prod").withName("unrelated").get());
        StepResult gone = run("helm: {status: {release: app, via: kube}}\n");
        assertEquals(Outcome.FAILED, gone.outcome());
        assertEquals("release 'app' in namespace 'prod' not found (no objects carry its Helm annotations)", gone.message());
        assertEquals(Outcome.OK, run("helm: {uninstall: {release: app, via: kube}}\n").outcome());
    }

    @Test
    void secretSetValuesAreMaskedInMessagesDataAndErrors() throws Exception {
        String secret = "s3cr3t-Pa55";
        ctx.withSecret("password", secret);
        StepResult t = run("helm: {template: {release: app, chart: hello, set: {greeting: '{{ password }}'}}}\n");
        assertEquals(Outcome.OK, t.outcome(), t.message());
        assertFalse(String.valueOf(t.data()).contains(secret), String.valueOf(t.data()));
        assertFalse(t.stdout().contains(secret));
        StepResult i = run("helm: {install: {release: app, chart: hello, set: {greeting: '{{ password }}'}, via: kube}}\n");
        assertEquals(Outcome.CHANGED, i.outcome(), i.message());
        assertFalse((i.message() + i.stdout() + i.data()).contains(secret), i.message());
        assertEquals(secret, k.fabric8.configMaps().inNamespace("prod").withName("app-hello").get().getData().get("greeting"));
        // a --set Helm cannot parse: its error quotes the value
        StepResult bad = run("helm: {template: {release: app, chart: hello, set: {'greeting[': '{{ password }}'}}}\n");
        assertEquals(Outcome.FAILED, bad.outcome());
        assertFalse((bad.message() + bad.stdout() + bad.data()).contains(secret), bad.message());
    }

    @Test
    void viaKubeRecordsEachRevisionAndHistoryListsThemLikeHelm() throws Exception {
        String secret = "s3cr3t-Pa55";
        ctx.withSecret("password", secret);
        StepResult i = run("helm: {install: {release: app, chart: hello, via: kube}}\n");
        assertEquals(1L, i.data().get("revision"), i.message());
        StepResult u = run("helm: {upgrade: {release: app, chart: hello, set: {greeting: '{{ password }}'}, via: kube}}\n");
        assertEquals(2L, u.data().get("revision"), u.message());
        assertTrue(u.message().startsWith("release 'app' in namespace 'prod': upgraded via kube, revision 2, 3 objects"), u.message());
        Secret s1 = k.fabric8.secrets().inNamespace("prod").withName("opsctl.helm.app.v1").get();
        Secret s2 = k.fabric8.secrets().inNamespace("prod").withName("opsctl.helm.app.v2").get();
        assertEquals(java.util.Map.of("owner", "opsctl", "name", "app", "status", "superseded", "version", "1"), s1.getMetadata().getLabels());
        assertEquals("deployed", s2.getMetadata().getLabels().get("status"));
        assertEquals("opsctl.dev/helm-release.v1", s2.getType());
        // the set value is not stored (only its key and a digest); the manifest is, as it is in the objects themselves
        String v2 = decoded(s2);
        assertFalse(v2.contains(secret), v2);
        assertTrue(v2.contains("greeting"), v2);
        assertTrue(gunzipped(s2.getData().get("manifest")).contains(secret));
        assertFalse(decoded(s1).contains("values_sha256=" + s2.getData().get("values_sha256")));
        StepResult h = run("helm: {history: {release: app, via: kube}}\n");
        assertEquals(Outcome.OK, h.outcome(), h.message());
        assertEquals("release 'app' in namespace 'prod': 2 revisions, current 2 (deployed)", h.message());
        assertEquals("1\tsuperseded\thello-0.1.0\tInstall complete\n2\tdeployed\thello-0.1.0\tUpgrade complete", h.stdout());
        assertFalse((h.stdout() + h.data()).contains(secret));
        StepResult st = run("helm: {status: {release: app, via: kube}}\n");
        assertEquals(2L, st.data().get("revision"), st.message());
        // uninstall deletes the records as helm uninstall does without --keep-history
        StepResult un = run("helm: {uninstall: {release: app, via: kube}}\n");
        assertTrue(un.message().endsWith("and 2 revision records"), un.message());
        assertTrue(k.fabric8.secrets().inNamespace("prod").list().getItems().isEmpty());
        assertEquals(Outcome.FAILED, run("helm: {history: {release: app, via: kube}}\n").outcome());
    }

    @Test
    void viaKubeRollbackReappliesThePreviousManifestPrunesAndRecordsANewRevision() throws Exception {
        run("helm: {install: {release: app, chart: hello, via: kube}}\n");
        run("helm: {upgrade: {release: app, chart: hello, name_override: web, set: {image.tag: '2.0.0'}, via: kube}}\n");
        assertNull(k.fabric8.configMaps().inNamespace("prod").withName("app-hello").get());
        StepResult r = run("helm: {rollback: {release: app, via: kube}}\n");
        assertEquals(Outcome.CHANGED, r.outcome(), r.message());
        assertTrue(r.message().startsWith("release 'app' in namespace 'prod': rolled back via kube to revision 1 (hello-0.1.0), now revision 3"),
                r.message());
        assertTrue(r.message().endsWith("deleted deployment/app-web, service/app-web, configmap/app-web"), r.message());
        assertEquals("registry.example/hello:1.0.0", k.fabric8.configMaps().inNamespace("prod").withName("app-hello").get().getData().get("image"));
        assertNull(k.fabric8.apps().deployments().inNamespace("prod").withName("app-web").get());
        assertEquals(3L, r.data().get("revision"));
        StepResult h = run("helm: {history: {release: app, via: kube}}\n");
        assertTrue(h.stdout().endsWith("2\tsuperseded\thello-0.1.0\tUpgrade complete\n3\tdeployed\thello-0.1.0\tRollback to 1"), h.stdout());
        // to an explicit revision: 2 again
        StepResult to2 = run("helm: {rollback: {release: app, revision: 2, via: kube}}\n");
        assertEquals(4L, to2.data().get("revision"), to2.message());
        assertNotNull(k.fabric8.apps().deployments().inNamespace("prod").withName("app-web").get());
        StepResult missing = run("helm: {rollback: {release: app, revision: 9, via: kube}}\n");
        assertEquals(Outcome.FAILED, missing.outcome());
        assertEquals("release 'app' in namespace 'prod': cannot roll back: no revision 9 (recorded: 1, 2, 3, 4)", missing.message());
        StepResult none = run("helm: {rollback: {release: nope, via: kube}}\n");
        assertTrue(none.message().contains("cannot roll back: no revisions recorded"), none.message());
    }

    @Test
    void viaKubeRollbackOfAFirstRevisionSaysThereIsNoneBefore() throws Exception {
        run("helm: {install: {release: app, chart: hello, via: kube}}\n");
        StepResult r = run("helm: {rollback: {release: app, via: kube}}\n");
        assertEquals(Outcome.FAILED, r.outcome());
        assertEquals("release 'app' in namespace 'prod': cannot roll back: revision 1 is the first, there is none before it", r.message());
    }

    private static String decoded(Secret s) {
        StringBuilder b = new StringBuilder();
        new java.util.TreeMap<>(s.getData()).forEach((key, v) -> {
            if (!key.equals("manifest")) {
                b.append(key).append('=').append(new String(java.util.Base64.getDecoder().decode(v), java.nio.charset.StandardCharsets.UTF_8))
                        .append('\n');
            }
        });
        return b.toString();
    }

    private static String gunzipped(String base64) throws java.io.IOException {
        try (var z = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(java.util.Base64.getDecoder().decode(base64)))) {
            return new String(z.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void viaHelmAChangeThatRanOutOfTimeKeepsSayingItMayHaveBeenAppliedOnceNamedForItsCluster() throws Exception {
        HelmTarget timingOut = new HelmTarget() {
            @Override
            public String template(Chart chart) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Lint lint(Chart chart) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Release deploy(Cluster cluster, Deploy deploy) throws dev.opsctl.target.TargetException {
                throw new dev.opsctl.target.TargetException(dev.opsctl.target.TargetException.Kind.TIMEOUT, "helm", "cannot upgrade "
                        + "release 'app' in namespace 'prod': UPGRADE FAILED: context deadline exceeded; Helm may have written the release, "
                        + "or part of it: check 'helm history' before running it again").withChangeUnanswered();
            }

            @Override
            public String uninstall(Cluster cluster, String release, String namespace) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Release status(Cluster cluster, String release, String namespace) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<Revision> history(Cluster cluster, String release, String namespace) {
                throw new UnsupportedOperationException();
            }
        };
        type = new HelmActionType(KubeConnections.of(k.target), context -> "", timingOut);
        StepResult r = run("helm: {upgrade: {release: app, chart: hello, install: true}}\n");
        assertEquals(Outcome.TIMED_OUT, r.outcome(), r.message());
        assertTrue(r.message().startsWith("kube context 'mock': cannot upgrade release 'app'"), r.message());
        assertTrue(r.commandMayStillRun(), "not retried beside it unless idempotent: " + r.message());
    }

    @Test
    void loaderErrorsHavePositions() {
        assertTrue(problems("helm: {namespace: app, instal: {release: a, chart: hello}}\n")
                .contains("step.yaml:1:24: error: unknown helm operation 'instal'"), fx.rendered());
        assertTrue(fx.rendered().contains("did you mean 'install'?"), fx.rendered());
        assertTrue(problems("helm: {install: {chart: hello}}\n").contains("step.yaml:1:17: error: missing required key 'release' in 'install' in 'helm'"),
                fx.rendered());
        assertTrue(problems("helm: {template: {release: a}}\n").contains("error: missing required key 'chart' in 'template' in 'helm'"),
                fx.rendered());
        assertEquals("", problems("helm: {rollback: {release: a, revision: 2, via: kube}}\n"));
        assertEquals("", problems("helm: {history: {release: a, via: kube}}\n"));
        assertTrue(problems("helm: {install: {release: a, chart: nope}}\n").contains("error: chart 'nope' does not exist"), fx.rendered());
        assertTrue(problems("helm: {install: {release: a, chart: hello, values: [missing.yaml]}}\n")
                .contains("error: values file 'missing.yaml' does not exist"), fx.rendered());
        assertTrue(problems("helm: {status: {release: a, via: kubectl}}\n").contains("'via' in 'status' in 'helm' must be helm or kube, not 'kubectl'"),
                fx.rendered());
        assertTrue(problems("helm: {uninstall: {release: a, atomic: true}}\n").contains("unknown key 'atomic' in 'uninstall' in 'helm'"),
                fx.rendered());
        assertTrue(problems("helm: {status: {release: a}, history: {release: a}}\n").contains("'helm' takes one operation"), fx.rendered());
    }

    @Test
    void summaryNamesTheOperationReleaseAndNamespace() {
        HelmSpec s = fx.parseClean(type, "helm: {namespace: prod, upgrade: {release: web, chart: hello, install: true, via: kube}}\n");
        assertEquals("helm upgrade web hello --install (via kube) -n prod", type.summary(s));
    }
}
