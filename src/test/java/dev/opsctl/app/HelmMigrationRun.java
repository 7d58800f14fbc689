package dev.opsctl.app;

import dev.opsctl.action.ActionRegistry;
import dev.opsctl.action.ActionType;
import dev.opsctl.engine.execute.HostHooks;
import dev.opsctl.engine.execute.Sleeper;
import dev.opsctl.engine.fakes.RecordingSink;
import dev.opsctl.runbook.load.Checklists;
import dev.opsctl.target.kube.KubeConnections;
import dev.opsctl.target.kube.MockCluster;
import dev.opsctl.target.kube.PlayedController;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A shipped cluster runbook run in-process through the app layer against fabric8's mock API server
 * (namespace {@code prod}), with the kube and helm step types pointed at it, a {@link PlayedController}
 * playing the Deployment controller and the kubelet, and a {@link FakeMonitoring} answering the
 * runbook's Prometheus queries and the public health URL.
 */
final class HelmMigrationRun implements AutoCloseable {
    static final Path RESOURCES = Path.of("src/test/resources/helm-migration").toAbsolutePath();
    static final Path CHART = Path.of("src/test/resources/charts/app").toAbsolutePath();

    final MockCluster k = new MockCluster();
    final PlayedController controllers = new PlayedController(k.fabric8, "prod", Duration.ofSeconds(5));
    final FakeMonitoring monitoring;
    private final Path stateDir;

    HelmMigrationRun(Path stateDir) throws IOException {
        this.stateDir = stateDir;
        try {
            this.monitoring = new FakeMonitoring();
        } catch (IOException | RuntimeException e) {
            controllers.close();
            k.close();
            throw e;
        }
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
        java.util.logging.Logger.getLogger("okhttp3.mockwebserver").setLevel(java.util.logging.Level.WARNING);
    }

    /** The document's Kustomize environment: web, streaming and worker Deployments, four Services, Ingress 'mastodon'. */
    HelmMigrationRun withKustomizeEnvironment() throws IOException {
        try (var in = Files.newInputStream(RESOURCES.resolve("kustomize-production.yaml"))) {
            for (var item : k.fabric8.load(in).items()) {
                k.fabric8.resource(item).inNamespace("prod").create();
            }
        }
        return this;
    }

    /** The params the helm-migration runbooks take in a test (each gets those it declares): the mock's namespace, the test chart, via: kube. */
    List<String> commonVars() {
        return List.of("namespace=prod", "chart=" + CHART, "values_file=" + RESOURCES.resolve("values-production.yaml"),
                "helm_via=kube", "prometheus_url=" + monitoring.url(), "monitor_duration=1s", "static_ip_name=ykzts-technology-ip",
                "backup_dir=" + stateDir.resolveSibling("backup"));
    }

    /** The name {@link PlayedController} gives the first pod of a Deployment's first template. */
    static String firstPod(String deployment) {
        return deployment + "-1-0";
    }

    /** A pod's exec of {@code command} (query encoded as fabric8 sends it: spaces as %20) in container {@code container} answers with {@code exit} (and a line of output). */
    void execAnswers(String pod, String container, List<String> command, int exit, String output) {
        StringBuilder path = new StringBuilder("/api/v1/namespaces/prod/pods/" + pod + "/exec?");
        for (String c : command) {
            path.append("command=").append(URLEncoder.encode(c, StandardCharsets.UTF_8).replace("+", "%20")).append('&');
        }
        path.append("container=").append(container).append("&stdout=true&stderr=true");
        k.server.expect().get().withPath(path.toString()).andUpgradeToWebSocket()
                .open(new io.fabric8.kubernetes.client.server.mock.OutputStreamMessage(output + "\n"),
                        new io.fabric8.kubernetes.client.server.mock.StatusStreamMessage(exit))
                .done().always();
    }

    ShippedRun.Result run(String runbook, List<String> vars, List<String> confirms) throws Exception {
        controllers.awaitRound();
        Path file = ShippedRunbooksTest.DIR.resolve(runbook + ".yaml");
        String text = Files.readString(file);
        List<String> all = new ArrayList<>();
        for (String v : commonVars()) {
            if (text.contains("\n  " + v.substring(0, v.indexOf('=')) + ": {")) {
                all.add(v);
            }
        }
        all.addAll(vars);
        Env env = Env.from(Map.of("USER", "ops", "HOME", stateDir.toString()), Optional.of(stateDir), Optional.empty(), false,
                Clock.systemDefaultZone());
        LoaderRunbooks runbooks = new LoaderRunbooks(registry(), Checklists.ANY);
        Services services = new Services(env, runbooks, Services::loadInventory,
                new HostTargets(dev.opsctl.target.ssh.SshConfig.empty(), dev.opsctl.target.ssh.SshOptions.defaults()), HostHooks.NONE,
                Sleeper.REAL, Prompter.NON_INTERACTIVE, new SecureRandom(), GateSetup.besideRunbooks(),
                new dev.opsctl.target.kube.KubeClusters(KubeConnections.of(k.target)), ClusterLease.DURATION);
        RecordingSink events = new RecordingSink();
        long t0 = System.nanoTime();
        int code = services.runs().run(RunRequest.of(file).withExtraVars(all)
                .withAnswers(new GateAnswers(confirms, Optional.empty())), events);
        return new ShippedRun.Result(code, events, "", java.time.Duration.ofNanos(System.nanoTime() - t0));
    }

    /** The standard step types with kube and helm talking to the mock server. */
    private ActionRegistry registry() {
        KubeConnections mock = KubeConnections.of(k.target);
        List<ActionType<?>> types = new ArrayList<>();
        for (ActionType<?> t : ActionRegistry.standard().all()) {
            if (t.name().equals("kube")) {
                types.add(new dev.opsctl.action.kube.KubeActionType(mock));
            } else if (!t.name().equals("helm")) {
                types.add(t);
            }
        }
        types.add(helm(mock));
        return new ActionRegistry(types);
    }

    /** The helm step type on the mock: 'via: kube' renders with real Helm and applies through the mock's API. */
    private static ActionType<?> helm(KubeConnections mock) {
        return new dev.opsctl.action.helm.HelmActionType(mock, context -> "", dev.opsctl.target.helm.HelmTarget.lazy());
    }

    @Override
    public void close() {
        controllers.close();
        monitoring.close();
        k.close();
    }
}
