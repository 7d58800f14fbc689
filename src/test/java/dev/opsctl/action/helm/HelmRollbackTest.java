package dev.opsctl.action.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.opsctl.action.FakeStepContext;
import dev.opsctl.action.ParseFixture;
import dev.opsctl.action.StepResult;
import dev.opsctl.action.StepResult.Outcome;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.helm.HelmTarget;
import dev.opsctl.target.kube.KubeConnections;
import dev.opsctl.target.kube.MockCluster;
import dev.opsctl.target.local.LocalTarget;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rollback} with {@code via: helm}: Helm's release Secrets are put on fabric8's mock server the way Helm
 * 3 writes them (release JSON, gzip, base64; built here from the test chart, with the manifest real Helm rendered),
 * read back through the kube target, and the rebuilt chart is handed to a Helm fake whose {@code deploy} renders
 * it with real Helm (helm-java) and the values it was given: the rendering must be the stored manifest. The
 * upgrade itself needs a real cluster (Helm cannot talk to the mock) and is not run.
 */
class HelmRollbackTest {
    private static final HelmTarget HELM = HelmTarget.lazy();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path charts;
    private MockCluster k;
    private FakeStepContext ctx;
    private final List<HelmTarget.Deploy> deploys = new ArrayList<>();
    private final List<String> rendered = new ArrayList<>();
    private final List<List<String>> chartFiles = new ArrayList<>();
    private HelmActionType type;

    /** Real Helm for rendering; deploy renders the chart it is given instead of reaching a cluster. */
    private final HelmTarget fake = new HelmTarget() {
        public String template(Chart c) throws TargetException {
            return HELM.template(c);
        }

        public Lint lint(Chart c) throws TargetException {
            return HELM.lint(c);
        }

        public Release deploy(Cluster cluster, Deploy d) throws TargetException {
            deploys.add(d);
            rendered.add(HELM.template(d.chart()));
            try (Stream<Path> files = Files.walk(d.chart().chart())) {
                chartFiles.add(files.filter(Files::isRegularFile).map(p -> d.chart().chart().relativize(p) + " "
                        + permissions(p)).sorted().toList());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            return new Release(d.chart().release(), d.chart().namespace(), 3, "deployed", "hello-0.1.0", "1.0.0");
        }

        public String uninstall(Cluster cluster, String release, String namespace) {
            throw new UnsupportedOperationException();
        }

        public Release status(Cluster cluster, String release, String namespace) {
            throw new UnsupportedOperationException();
        }

        public List<Revision> history(Cluster cluster, String release, String namespace) {
            throw new UnsupportedOperationException();
        }
    };

    @BeforeAll
    static void quietMockServer() {
        Logger.getLogger("io.fabric8.mockwebserver").setLevel(Level.WARNING);
    }

    @BeforeEach
    void setUp() throws Exception {
        charts = Path.of(HelmRollbackTest.class.getResource("/charts/hello/Chart.yaml").toURI()).getParent().getParent();
        k = new MockCluster();
        type = new HelmActionType(KubeConnections.of(k.target), context -> "", fake);
        ctx = new FakeStepContext(new LocalTarget("controller"), tmp);
    }

    @AfterEach
    void tearDown() {
        k.close();
    }

    private StepResult run(String yaml) throws Exception {
        return type.execute(new ParseFixture(charts).parseClean(type, yaml), ctx);
    }

    @Test
    void rollbackRebuildsThePreviousRevisionsChartAndUpgradesWithItsValuesRenderingItsExactManifest() throws Exception {
        Map<String, String> set1 = Map.of("image.tag", "2.0.0", "greeting", "hi, there");
        String manifest1 = HELM.template(new HelmTarget.Chart(charts.resolve("hello"), "app", "prod", List.of(), set1));
        ObjectNode config1 = JSON.createObjectNode();
        config1.putObject("image").put("tag", "2.0.0");
        config1.put("greeting", "hi, there");
        putRelease(release(1, "superseded", config1, manifest1, chart()));
        ObjectNode config2 = JSON.createObjectNode();
        config2.put("replicaCount", 4);
        putRelease(release(2, "deployed", config2, "---\n# Source: hello/templates/other.yaml\n", chart()));

        StepResult r = run("helm: {namespace: prod, rollback: {release: app, wait: true, timeout: 2m}}\n");
        assertEquals(Outcome.CHANGED, r.outcome(), r.message());
        assertEquals("release 'app' in namespace 'prod': rolled back to revision 1 (hello-0.1.0), now revision 3 (deployed)", r.message());
        HelmTarget.Deploy d = deploys.get(0);
        assertTrue(d.upgrade() && !d.install() && d.waitReady() && d.chart().set().isEmpty(), d.toString());
        assertEquals(java.time.Duration.ofMinutes(2), d.timeout());
        assertEquals(manifest1, rendered.get(0));
        assertEquals(List.of("Chart.yaml rw-------", "templates/_helpers.tpl rw-------", "templates/configmap.yaml rw-------",
                "templates/deployment.yaml rw-------", "templates/service.yaml rw-------", "values.yaml rw-------"), chartFiles.get(0));
        // the rebuilt chart and the values (which may hold secrets) are gone after the call
        assertFalse(Files.exists(d.chart().chart()));
        assertFalse(Files.exists(d.chart().valuesFiles().get(0)));
    }

    @Test
    void rollbackToAnExplicitRevisionAndToOneThatDoesNotExist() throws Exception {
        String manifest = HELM.template(new HelmTarget.Chart(charts.resolve("hello"), "app", "prod", List.of(), Map.of()));
        putRelease(release(1, "superseded", JSON.createObjectNode(), manifest, chart()));
        putRelease(release(2, "superseded", JSON.createObjectNode().put("replicaCount", 2), "", chart()));
        putRelease(release(3, "deployed", JSON.createObjectNode(), manifest, chart()));
        StepResult missing = run("helm: {namespace: prod, rollback: {release: app, revision: 7}}\n");
        assertEquals(Outcome.FAILED, missing.outcome());
        assertEquals("release 'app' in namespace 'prod': cannot roll back: no revision 7 (recorded: 1, 2, 3)", missing.message());
        StepResult to1 = run("helm: {namespace: prod, rollback: {release: app, revision: 1}}\n");
        assertEquals(Outcome.CHANGED, to1.outcome(), to1.message());
        assertEquals(manifest, rendered.get(0));
        StepResult none = run("helm: {namespace: prod, rollback: {release: other}}\n");
        assertEquals("release 'other' in namespace 'prod': cannot roll back: Helm has no release records for it", none.message());
    }

    @Test
    void aChartWithSubchartsIsRefusedBecauseHelmsRecordDoesNotKeepThem() throws Exception {
        ObjectNode chart = chart();
        ((ObjectNode) chart.get("metadata")).putArray("dependencies").addObject().put("name", "redis").put("version", "17.0.0");
        putRelease(release(1, "superseded", JSON.createObjectNode(), "", chart));
        putRelease(release(2, "deployed", JSON.createObjectNode(), "", chart()));
        StepResult r = run("helm: {namespace: prod, rollback: {release: app}}\n");
        assertEquals(Outcome.FAILED, r.outcome());
        assertEquals("release 'app' in namespace 'prod': cannot roll back to revision 1: chart 'hello' has 1 dependencies (subcharts), "
                + "which Helm's release record does not keep; roll back with the chart version and values of that revision instead", r.message());
        assertTrue(deploys.isEmpty());
    }

    @Test
    void aTemplateNameLeavingTheChartIsRefused() throws Exception {
        ObjectNode chart = chart();
        ((ArrayNode) chart.get("templates")).addObject().put("name", "../../evil.sh").put("data", b64("boom".getBytes(StandardCharsets.UTF_8)));
        putRelease(release(1, "superseded", JSON.createObjectNode(), "", chart));
        putRelease(release(2, "deployed", JSON.createObjectNode(), "", chart()));
        StepResult r = run("helm: {namespace: prod, rollback: {release: app}}\n");
        assertEquals(Outcome.FAILED, r.outcome());
        assertTrue(r.message().endsWith("the release JSON names a chart file outside the chart: '../../evil.sh'"), r.message());
        assertTrue(deploys.isEmpty());
    }

    /** The test chart as Helm's release JSON holds it ({@code chart.Chart}: metadata, templates with base64 data, values, files). */
    private ObjectNode chart() throws Exception {
        Path dir = charts.resolve("hello");
        YAMLMapper yaml = new YAMLMapper();
        ObjectNode chart = JSON.createObjectNode();
        chart.set("metadata", yaml.readTree(dir.resolve("Chart.yaml").toFile()));
        chart.putNull("lock");
        ArrayNode templates = chart.putArray("templates");
        try (Stream<Path> files = Files.list(dir.resolve("templates"))) {
            for (Path p : files.sorted().toList()) {
                templates.addObject().put("name", "templates/" + p.getFileName()).put("data", b64(Files.readAllBytes(p)));
            }
        }
        chart.set("values", yaml.readTree(dir.resolve("values.yaml").toFile()));
        chart.putNull("schema");
        chart.putArray("files");
        return chart;
    }

    private static ObjectNode release(long version, String status, ObjectNode config, String manifest, ObjectNode chart) {
        ObjectNode r = JSON.createObjectNode();
        r.put("name", "app");
        r.putObject("info").put("status", status).put("description", version == 1 ? "Install complete" : "Upgrade complete");
        r.set("chart", chart);
        r.set("config", config);
        r.put("manifest", manifest);
        r.put("version", version);
        r.put("namespace", "prod");
        return r;
    }

    /** As Helm's Secrets driver stores it: JSON, gzip, base64; the Secret's data base64s it again. */
    private void putRelease(ObjectNode release) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(JSON.writeValueAsBytes(release));
        }
        String helmEncoded = b64(out.toByteArray());
        long v = release.get("version").asLong();
        k.fabric8.secrets().inNamespace("prod").resource(new SecretBuilder().withNewMetadata().withName("sh.helm.release.v1.app.v" + v)
                .withNamespace("prod").addToLabels(Map.of("owner", "helm", "name", "app", "status", release.path("info").path("status").asText(),
                        "version", Long.toString(v))).endMetadata().withType("helm.sh/release.v1")
                .addToData("release", b64(helmEncoded.getBytes(StandardCharsets.US_ASCII))).build()).create();
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private static String permissions(Path p) {
        try {
            return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
