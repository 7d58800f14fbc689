package dev.opsctl.target.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * fabric8's mock API server in CRUD mode with a client on the JDK HTTP client (as opsctl builds
 * them), namespace {@code prod}. No controllers run: tests set status themselves.
 *
 * <p>Not exercised here, because the mock cannot: server-side apply itself (the mock answers 415, so
 * only the create-or-replace fallback runs), port-forward traffic (only its refusals), API discovery
 * (kinds come from {@code KubeKinds}), a real in-cluster token, and anything a controller or the
 * kubelet would do (new ReplicaSets after set_image or undo, pod phases, events).
 */
public final class MockCluster implements AutoCloseable {
    private final Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    /** CRUD for objects, plus expectations (server.expect()) for what CRUD cannot do: exec, logs. */
    public final KubernetesMockServer server;
    public final KubernetesClient fabric8;
    public final KubeClient target;

    public MockCluster() {
        this(true);
    }

    /** {@code unblocking}: with {@link UnblockingWatchDispatcher} (false only to show the mock's own stall). */
    MockCluster(boolean unblocking) {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                unblocking ? new UnblockingWatchDispatcher(responses) : new KubernetesMixedDispatcher(responses), false);
        server.init();
        fabric8 = server.createClient(b -> b.withHttpClientFactory(new JdkHttpClientFactory())
                .editOrNewConfig().withNamespace("prod").withRequestRetryBackoffLimit(0).endConfig());
        target = KubeClient.over(fabric8, "mock");
    }

    /** A Deployment {@code name} with one container {@code app} running {@code image}, labels app=name. */
    public Deployment deployment(String name, String image, int replicas) {
        Deployment d = new DeploymentBuilder().withNewMetadata().withName(name).withNamespace("prod").withLabels(Map.of("app", name))
                .endMetadata().withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", name)).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage(image).endContainer().endSpec().endTemplate()
                .endSpec().build();
        return fabric8.apps().deployments().inNamespace("prod").resource(d).create();
    }

    /** A Running pod with one container {@code app} and label app={@code app}, not yet created. */
    /**
     * An API server address that refuses every connection: port 1 on loopback, where nothing of the
     * tests listens. A closed server's own port can be taken at once by a server of a test running
     * beside it (CI runs two test JVMs), which then answered a request meant to be refused.
     */
    public static final String NOTHING_LISTENS = "http://127.0.0.1:1";

    /** A kubeconfig at {@code file} whose one context, mock (user oncall, namespace prod), points at {@code server}. */
    public static void writeKubeconfig(Path file, String server) throws IOException {
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: mock
                    cluster: {server: "%s"}
                users:
                  - name: oncall
                    user: {token: not-a-secret}
                contexts:
                  - name: mock
                    context: {cluster: mock, user: oncall, namespace: prod}
                current-context: mock
                """.formatted(server));
    }

    public static Pod pod(String name, String app) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("prod").withLabels(Map.of("app", app)).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("api:1").endContainer().endSpec()
                .withNewStatus().withPhase("Running").endStatus().build();
    }

    @Override
    public void close() {
        target.close();
        server.destroy();
    }
}
